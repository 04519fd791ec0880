import { describe, expect, it } from 'vitest';
import { cell, clock, shortArn, shortenArns, wrap } from './text.js';

describe('text', () => {
  it('cuts every ECS ARN of a sentence to the resource it ends with, leaving the sentence’s punctuation', () => {
    const arn = 'arn:aws:ecs:us-east-1:000000000000:daemon-revision/demo/agent/6679229887522190268';
    expect(shortArn(arn)).toBe('6679229887522190268');
    expect(shortenArns(`Rolled back: every instance in scope runs revision ${arn} again.`)).toBe('Rolled back: every instance in scope runs revision 6679229887522190268 again.');
    expect(shortenArns(`towards ${arn}, then (${arn}).`)).toBe('towards 6679229887522190268, then (6679229887522190268).');
    expect(shortenArns('no ARN here: arn:aws:iam::000000000000:role/x stays')).toBe('no ARN here: arn:aws:iam::000000000000:role/x stays');
  });

  it('formats times of day, cells and wrapped lines', () => {
    expect(clock(1_795_767_847.221)).toBe('08:24:07.221');
    expect(cell('ROLLBACK_IN_PROGRESS', 8)).toBe('ROLLBAC…');
    expect(cell('12', 4, 'right')).toBe('  12');
    expect(wrap('one two three four', 9)).toEqual(['one two', 'three', 'four']);
  });
});
