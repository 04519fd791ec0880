import { DescribeAlarmHistoryCommand, DescribeAlarmsCommand, PutMetricAlarmCommand, waitUntilAlarmExists } from '@aws-sdk/client-cloudwatch';
import {
  CreateCapacityProviderCommand,
  CreateClusterCommand,
  CreateDaemonCommand,
  CreateServiceCommand,
  DescribeDaemonCommand,
  DescribeDaemonDeploymentsCommand,
  DescribeServicesCommand,
  RegisterDaemonTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  UpdateDaemonCommand,
  waitUntilDaemonDeploymentSuccessful,
} from '@aws-sdk/client-ecs';
import { eventually } from '@daemonfleet/testing';
import { expect, it } from 'vitest';
import { fastCloudWatchWaiter } from './cloudwatch-client.js';
import type { CloudWatchSystem } from './cloudwatch-system.js';
import { fastWaiter } from './ecs-client.js';

/**
 * The seed scenario, written as a user would write it with the public SDKs alone (client-ecs and client-cloudwatch,
 * nothing of daemonfleet's internals): a daemon whose deployments watch a CloudWatch alarm on the fleet's CPU, and a
 * revision whose agent runs hot (its container's DAEMONFLEET_SIMULATED_CPU_PERCENT is 95). The bake catches it once
 * the new revision runs; the deployment rolls back, and the ECS waiter reports the failure.
 */
export function cloudWatchSeedScenarios(system: () => CloudWatchSystem): void {
  it('rolls a deployment back when its CloudWatch alarm on the fleet’s CPU goes into ALARM during the bake', async () => {
    const { ecs, cloudWatch } = system();
    const account = '000000000000';

    // The fleet: a cluster, a Managed Instances provider, a service of 4 tasks that brings 4 instances.
    await ecs.send(new CreateClusterCommand({ clusterName: 'seed' }));
    await ecs.send(
      new CreateCapacityProviderCommand({
        name: 'seed-mi',
        cluster: 'seed',
        managedInstancesProvider: {
          infrastructureRoleArn: `arn:aws:iam::${account}:role/ecsInfrastructureRole`,
          instanceLaunchTemplate: {
            ec2InstanceProfileArn: `arn:aws:iam::${account}:instance-profile/ecsInstanceProfile`,
            networkConfiguration: { subnets: ['subnet-0123456789abcdef0'] },
          },
        },
      }),
    );
    await ecs.send(new RegisterTaskDefinitionCommand({ family: 'seed-web', containerDefinitions: [{ name: 'web', image: 'public.ecr.aws/example/web:1.0', memory: 256 }] }));
    await ecs.send(
      new CreateServiceCommand({ serviceName: 'web', cluster: 'seed', taskDefinition: 'seed-web', desiredCount: 4, capacityProviderStrategy: [{ capacityProvider: 'seed-mi', weight: 1 }] }),
    );
    await eventually(
      async () => expect((await ecs.send(new DescribeServicesCommand({ cluster: 'seed', services: ['web'] }))).services?.[0]).toMatchObject({ runningCount: 4, pendingCount: 0 }),
      { timeoutMs: 30_000, what: 'the service to run its 4 tasks' },
    );

    // Revision 1 of the agent, rolled out; revision 2 runs hot.
    const cool = await ecs.send(new RegisterDaemonTaskDefinitionCommand({ family: 'seed-agent', containerDefinitions: [{ name: 'agent', image: 'public.ecr.aws/example/agent:1.0' }] }));
    const hot = await ecs.send(
      new RegisterDaemonTaskDefinitionCommand({
        family: 'seed-agent',
        containerDefinitions: [{ name: 'agent', image: 'public.ecr.aws/example/agent:2.0', environment: [{ name: 'DAEMONFLEET_SIMULATED_CPU_PERCENT', value: '95' }] }],
      }),
    );
    const created = await ecs.send(
      new CreateDaemonCommand({
        daemonName: 'agent',
        clusterArn: 'seed',
        daemonTaskDefinitionArn: cool.daemonTaskDefinitionArn,
        capacityProviderArns: ['seed-mi'],
        deploymentConfiguration: { drainPercent: 50 },
      }),
    );
    await waitUntilDaemonDeploymentSuccessful(fastWaiter(ecs), { daemonDeploymentArns: [created.deploymentArn!] });
    const [first] = (await ecs.send(new DescribeDaemonDeploymentsCommand({ daemonDeploymentArns: [created.deploymentArn!] }))).daemonDeployments!;

    // The alarm: the agent's average CPU over a minute above 80 %, as the fleet reports it (AWS/ECS, per daemon).
    await cloudWatch.send(
      new PutMetricAlarmCommand({
        AlarmName: 'seed-agent-cpu',
        Namespace: 'AWS/ECS',
        MetricName: 'CPUUtilization',
        Dimensions: [
          { Name: 'ClusterName', Value: 'seed' },
          { Name: 'ServiceName', Value: 'daemon:agent' },
        ],
        Statistic: 'Average',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 80,
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    );
    await waitUntilAlarmExists(fastCloudWatchWaiter(cloudWatch), { AlarmNames: ['seed-agent-cpu'] });
    // Revision 1 runs cool: the alarm, fed by the fleet's reports, is OK.
    await eventually(async () => expect((await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: ['seed-agent-cpu'] }))).MetricAlarms?.[0].StateValue).toBe('OK'), {
      timeoutMs: 30_000,
      what: 'the alarm to be OK on revision 1',
    });

    // The update to the hot revision watches the alarm, and bakes long enough (3 s at TIME_SCALE 600) for the fleet to report its CPU and the alarm to fire, even on a busy machine.
    const updated = await ecs.send(
      new UpdateDaemonCommand({
        daemonArn: created.daemonArn,
        daemonTaskDefinitionArn: hot.daemonTaskDefinitionArn,
        capacityProviderArns: ['seed-mi'],
        deploymentConfiguration: { drainPercent: 50, bakeTimeInMinutes: 30, alarms: { alarmNames: ['seed-agent-cpu'], enable: true } },
      }),
    );
    await expect(waitUntilDaemonDeploymentSuccessful(fastWaiter(ecs, 120), { daemonDeploymentArns: [updated.deploymentArn!] })).rejects.toThrow(/FAILURE/);

    const [deployment] = (await ecs.send(new DescribeDaemonDeploymentsCommand({ daemonDeploymentArns: [updated.deploymentArn!] }))).daemonDeployments!;
    expect(deployment).toMatchObject({
      status: 'ROLLBACK_SUCCESSFUL',
      alarms: { status: 'TRIGGERED', alarmNames: ['seed-agent-cpu'], triggeredAlarmNames: ['seed-agent-cpu'] },
      rollback: { rollbackTargetDaemonRevisionArn: first.targetDaemonRevision!.arn, reason: expect.stringContaining('seed-agent-cpu') },
      deploymentConfiguration: { drainPercent: 50, bakeTimeInMinutes: 30, alarms: { alarmNames: ['seed-agent-cpu'], enable: true } },
    });
    expect(deployment.statusReason).toContain('seed-agent-cpu');

    // Every instance runs revision 1 again, and the alarm's history tells how it went into ALARM.
    await eventually(
      async () => {
        const { daemon } = await ecs.send(new DescribeDaemonCommand({ daemonArn: created.daemonArn }));
        expect(daemon?.currentRevisions?.map((revision) => [revision.arn, revision.totalRunningCount])).toEqual([[first.targetDaemonRevision!.arn, 4]]);
      },
      { timeoutMs: 30_000, what: 'every instance to run revision 1' },
    );
    const { AlarmHistoryItems: items } = await cloudWatch.send(new DescribeAlarmHistoryCommand({ AlarmName: 'seed-agent-cpu', HistoryItemType: 'StateUpdate', ScanBy: 'TimestampAscending' }));
    // While instances are replaced, a period may go unreported (INSUFFICIENT_DATA) before the hot one is.
    expect(items?.map((item) => item.HistorySummary)).toContainEqual(expect.stringMatching(/^Alarm updated from (OK|INSUFFICIENT_DATA) to ALARM$/));
  });
}
