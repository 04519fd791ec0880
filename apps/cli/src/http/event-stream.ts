/** One server-sent event. */
export interface ServerSentEvent {
  readonly id?: string;
  /** `message` unless the server named it. */
  readonly event: string;
  readonly data: string;
}

/**
 * Parses a text/event-stream body as it arrives (the WHATWG rules the gateway's watch needs): lines of
 * `field: value` up to a blank line make one event; `:` lines are comments; data lines join with newlines.
 */
export async function* serverSentEvents(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let fields: { id?: string; event?: string; data: string[] } = { data: [] };
  for await (const chunk of chunks) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline).replace(/\r$/, '');
      buffer = buffer.slice(newline + 1);
      if (line === '') {
        if (fields.data.length > 0 || fields.event !== undefined) yield { id: fields.id, event: fields.event ?? 'message', data: fields.data.join('\n') };
        fields = { data: [] };
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const name = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (name === 'data') fields.data.push(value);
      else if (name === 'id') fields.id = value;
      else if (name === 'event') fields.event = value;
    }
  }
}
