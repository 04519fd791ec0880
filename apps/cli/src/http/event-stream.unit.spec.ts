import { describe, expect, it } from 'vitest';
import { serverSentEvents } from './event-stream.js';

async function parse(...chunks: string[]) {
  async function* bytes() {
    for (const chunk of chunks) yield new TextEncoder().encode(chunk);
  }
  const events = [];
  for await (const event of serverSentEvents(bytes())) events.push(event);
  return events;
}

describe('server-sent events', () => {
  it('parses events split across chunks anywhere, ignoring comments', async () => {
    expect(await parse('id: 1\nda', 'ta: {"a":1}\n\n: keep-alive\n\nid: 2\r\ndata: x\r\n', '\r\nevent: end\ndata: {}\n\n')).toEqual([
      { id: '1', event: 'message', data: '{"a":1}' },
      { id: '2', event: 'message', data: 'x' },
      { id: undefined, event: 'end', data: '{}' },
    ]);
  });

  it('joins the data lines of one event, and keeps what follows the first space of a field', async () => {
    expect(await parse('data: one\ndata:two\ndata:  three\n\n')).toEqual([{ id: undefined, event: 'message', data: 'one\ntwo\n three' }]);
  });

  it('drops an event the stream ended in the middle of', async () => {
    expect(await parse('id: 1\ndata: complete\n\nid: 2\ndata: cut')).toEqual([{ id: '1', event: 'message', data: 'complete' }]);
  });
});
