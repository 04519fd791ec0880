/** One server-sent event as a client receives it. */
export interface ServerSentEvent {
  readonly id?: string;
  readonly event: string;
  readonly data: string;
}

/**
 * Reads an event stream until the server ends it (or `timeoutMs` passes, which fails), as EventSource would parse
 * it: fields up to a blank line make one event; comment lines (`:`) are ignored.
 */
export async function readEventStream(url: string, { lastEventId, timeoutMs = 60_000 }: { lastEventId?: string; timeoutMs?: number } = {}): Promise<ServerSentEvent[]> {
  const response = await fetch(url, { headers: lastEventId === undefined ? {} : { 'last-event-id': lastEventId }, signal: AbortSignal.timeout(timeoutMs) });
  if (response.status !== 200) throw new Error(`event stream answered ${response.status}: ${await response.text()}`);
  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) throw new Error(`not an event stream: ${response.headers.get('content-type')}`);
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .flatMap((block) => {
      const fields = block.split('\n').filter((line) => !line.startsWith(':'));
      if (fields.length === 0) return [];
      const value = (name: string) => fields.filter((line) => line.startsWith(`${name}: `)).map((line) => line.slice(name.length + 2));
      return [{ id: value('id')[0], event: value('event')[0] ?? 'message', data: value('data').join('\n') }];
    });
}
