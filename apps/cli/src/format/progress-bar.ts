import type { DeploymentProgress } from '../http/gateway-api.js';
import { clock, shortArn } from './text.js';

/**
 * One line of progress: a bar, then the figures behind it. The bar counts batches done while rolling out (the
 * budget the deployment fixed at its start), instances back on the previous revision while rolling back (a rollback
 * has no plan of batches), nothing before the start and everything once finished.
 */
export function progressLine(p: DeploymentProgress, width = 24): string {
  const fraction = fractionDone(p);
  const filled = Math.round(fraction * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  const towards = p.towardsRevisionArn === null ? 'the daemon removed' : `revision ${shortArn(p.towardsRevisionArn)}`;
  const figures = [
    `${p.status} (${p.phase})`,
    `batches ${p.batchesDone}/${p.batchesPlanned} done`,
    `${p.instancesOnTarget} on ${towards} (${p.instancesInScope} in scope)`,
    `failures ${p.failureCount}/${p.failureThreshold}`,
    ...(p.bakeEndsAt === null ? [] : [`baking until ${clock(p.bakeEndsAt / 1000)} UTC`]),
  ];
  return `${bar} ${figures.join(' · ')}`;
}

function fractionDone(p: DeploymentProgress): number {
  switch (p.phase) {
    case 'pending':
      return 0;
    case 'finished':
      return 1;
    case 'rolling back':
      return ratio(p.instancesOnTarget, p.instancesInScope);
    default:
      return ratio(p.batchesDone, p.batchesPlanned);
  }
}

const ratio = (done: number, of: number) => (of <= 0 ? 1 : Math.min(1, Math.max(0, done / of)));
