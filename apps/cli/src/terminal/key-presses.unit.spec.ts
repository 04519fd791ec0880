import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { stepKeyOf, stepKeys, type StepKey } from './key-presses.js';

describe('step keys', () => {
  it('maps arrows, letters and shift+g to the moves of a step-by-step replay', () => {
    expect(['right', 'space', 'n', 'left', 'p', 'home', 'g', 'end', 'q', 'escape'].map((name) => stepKeyOf(name))).toEqual([
      'next', 'next', 'next', 'previous', 'previous', 'first', 'first', 'last', 'quit', 'quit',
    ]);
    expect(stepKeyOf('g', { shift: true })).toBe('last');
    expect(stepKeyOf('G')).toBe('last');
    expect(stepKeyOf('c', { ctrl: true })).toBe('quit');
    expect(stepKeyOf('x')).toBeUndefined();
  });

  it('reads each character of piped input as a key, ignoring others, until the input ends', async () => {
    const input = new PassThrough() as unknown as NodeJS.ReadStream;
    const keys: StepKey[] = [];
    const reading = (async () => {
      for await (const key of stepKeys(input)) keys.push(key);
    })();
    (input as unknown as PassThrough).end('nxp G');
    await reading;
    expect(keys).toEqual(['next', 'previous', 'next', 'last']);
  });
});
