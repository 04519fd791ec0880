import { describe, expect, it } from 'vitest';
import { progress } from '../testing/cli-fixtures.js';
import { progressLine } from './progress-bar.js';

describe('progress line', () => {
  it('fills the bar with the batches done while rolling out, and names every figure', () => {
    expect(progressLine(progress(), 12)).toBe('[####........] IN_PROGRESS (rolling out) · batches 1/3 done · 2 on revision 222 (6 in scope) · failures 3/10');
  });

  it('fills it with the instances back on the previous revision while rolling back', () => {
    const back = progress({ status: 'ROLLBACK_IN_PROGRESS', phase: 'rolling back', towardsRevisionArn: 'arn:…/111', instancesOnTarget: 3 });
    expect(progressLine(back, 12)).toMatch(/^\[######\.\.\.\.\.\.\] ROLLBACK_IN_PROGRESS \(rolling back\) · .* · 3 on revision 111 \(6 in scope\)/);
  });

  it('is empty before the start, full once finished, and says until when a bake runs', () => {
    expect(progressLine(progress({ status: 'PENDING', phase: 'pending', batchesPlanned: 0, batchesDone: 0 }), 4)).toMatch(/^\[\.\.\.\.\] PENDING/);
    expect(progressLine(progress({ status: 'ROLLBACK_FAILED', phase: 'finished' }), 4)).toMatch(/^\[####\] ROLLBACK_FAILED/);
    expect(progressLine(progress({ phase: 'baking', batchesDone: 3, bakeEndsAt: 1767323105_000 }), 4)).toMatch(/· baking until 03:05:05\.000 UTC$/);
  });

  it('names a delete deployment’s aim', () => {
    expect(progressLine(progress({ towardsRevisionArn: null, instancesOnTarget: 0 }), 4)).toContain('0 on the daemon removed');
  });
});
