import { emitKeypressEvents } from 'node:readline';

/** What a key press asks of a step-by-step replay. */
export type StepKey = 'next' | 'previous' | 'first' | 'last' | 'quit';

const BY_NAME: Record<string, StepKey> = {
  right: 'next',
  down: 'next',
  space: 'next',
  return: 'next',
  n: 'next',
  l: 'next',
  left: 'previous',
  up: 'previous',
  p: 'previous',
  b: 'previous',
  h: 'previous',
  home: 'first',
  g: 'first',
  end: 'last',
  q: 'quit',
  escape: 'quit',
};

/** A key by its readline name, `G` (shift+g) being the last version; undefined for keys that mean nothing here. */
export function stepKeyOf(name: string | undefined, { shift = false, ctrl = false } = {}): StepKey | undefined {
  if (name === undefined) return undefined;
  if (ctrl && name === 'c') return 'quit';
  if (name === 'G' || (shift && name === 'g')) return 'last';
  return BY_NAME[name];
}

/**
 * Key presses from `input`, one at a time as they come. In a terminal each key counts at once (raw mode, arrows
 * included); from a pipe each character is a key (so `printf 'nnpq' | daemonfleet replay … --step` works). The
 * end of input quits.
 */
export async function* stepKeys(input: NodeJS.ReadStream = process.stdin): AsyncGenerator<StepKey> {
  const queue: StepKey[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  const push = (key: StepKey | undefined) => {
    if (key === undefined) return;
    queue.push(key);
    wake?.();
  };
  const onKeypress = (text: string | undefined, key: { name?: string; shift?: boolean; ctrl?: boolean } | undefined) =>
    push(stepKeyOf(key?.name ?? text, { shift: key?.shift, ctrl: key?.ctrl }));
  const onData = (chunk: Buffer) => {
    for (const character of chunk.toString('utf8')) push(stepKeyOf(character === ' ' ? 'space' : character));
  };
  const onEnd = () => {
    ended = true;
    wake?.();
  };
  const raw = input.isTTY === true;
  if (raw) {
    emitKeypressEvents(input);
    input.setRawMode(true);
    input.on('keypress', onKeypress);
  } else input.on('data', onData);
  input.on('end', onEnd);
  input.resume();
  try {
    for (;;) {
      if (queue.length > 0) {
        yield queue.shift()!;
        continue;
      }
      if (ended) return;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    input.off('keypress', onKeypress);
    input.off('data', onData);
    input.off('end', onEnd);
    if (raw) input.setRawMode(false);
    input.pause();
  }
}
