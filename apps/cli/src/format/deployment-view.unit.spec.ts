import { describe, expect, it } from 'vitest';
import { deployment, progress, timelineEvent } from '../testing/cli-fixtures.js';
import { deploymentView } from './deployment-view.js';

describe('deployment view', () => {
  it('shows the event that brought the deployment there and why, then its status, counts, guards and progress', () => {
    const lines = deploymentView({ deploymentId: 'aB1cD2eF3gH4iJ5k', version: 7, event: timelineEvent(), daemonDeployment: deployment(), progress: progress() }, 12);
    expect(lines).toEqual([
      'Deployment aB1cD2eF3gH4iJ5k at version 7 of 12: InstanceDrainsRequested at 03:04:05.678 UTC',
      `  ${timelineEvent().summary}`,
      '',
      'Status    IN_PROGRESS',
      'Created   2026-01-02 03:04:05.678 UTC',
      'Started   2026-01-02 03:04:05.678 UTC',
      'Target    revision 222: 2 running, 0 draining',
      '            prod-mi: 2 running, 0 draining',
      'Sources   revision 111: 4 running, 2 draining',
      '            prod-mi: 4 running, 2 draining',
      'Breaker   3 of 10 failed starts (MONITORING)',
      'Alarms    DISABLED',
      'Settings  drainPercent 50, bake 0 min',
      'Progress  [########................] IN_PROGRESS (rolling out) · batches 1/3 done · 2 on revision 222 (6 in scope) · failures 3/10',
    ]);
  });

  it('says when there is no target (a delete) and no source, and names the alarms in ALARM', () => {
    const d = deployment({ targetDaemonRevision: undefined, sourceDaemonRevisions: [], alarms: { status: 'TRIGGERED', alarmNames: ['cpu', 'errors'], triggeredAlarmNames: ['cpu'] } });
    const lines = deploymentView({ deploymentId: 'x', version: 1, event: timelineEvent(), daemonDeployment: d, progress: progress() });
    expect(lines).toEqual(expect.arrayContaining(['Target    none: the daemon is being removed', 'Sources   none', 'Alarms    TRIGGERED: cpu, errors; in ALARM: cpu']));
  });
});
