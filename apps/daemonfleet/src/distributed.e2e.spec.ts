import { describeWithNats, eventually } from '@daemonfleet/testing';
import { describe, expect, it } from 'vitest';
import { writeInterruptedCreateDaemon } from './testing/crash-state.js';
import { distributedSuite } from './testing/distributed-suite.js';
import { agentDefinition, deploymentFinished, firstFlowScenario, interruptedCreateScenario, prepareCluster } from './testing/first-flow.scenario.js';
import { jsonClient } from './testing/http-client.js';

describeWithNats('distributed mode: four processes over a real nats-server, JetStream event store', () => {
  const suite = distributedSuite('DF_E2E', { env: { RESYNC_INTERVAL_MS: '200', METRICS_PERIOD_SECONDS: '86400' } });

  firstFlowScenario(() => ({ client: jsonClient(suite.system.url), store: suite.store }));
  interruptedCreateScenario(() => ({ client: jsonClient(suite.system.url), store: suite.store }));

  it('reflects a write made through one gateway replica in the very next read through another', async () => {
    const a = jsonClient(suite.system.url);
    const b = jsonClient(await suite.system.startGateway());
    await prepareCluster(a, 'replicas');
    for (let revision = 2; revision <= 11; revision++) {
      expect((await a.post('/v1/daemon-task-definitions', agentDefinition('replicas-agent'))).status).toBe(201);
      expect((await b.get('/v1/daemon-task-definitions/replicas-agent')).body.daemonTaskDefinition.revision).toBe(revision);
    }
    const created = await b.post('/v1/daemons', { daemonName: 'seen', clusterArn: 'replicas', daemonTaskDefinitionArn: 'replicas-agent:1', capacityProviderArns: ['replicas-mi'] });
    expect(created.status).toBe(201);
    expect((await a.get('/v1/daemons/replicas/seen')).body.daemon.deploymentArn).toBe(created.body.deploymentArn);
    expect((await a.get('/v1/daemons?clusterArn=replicas')).body.daemonSummariesList).toHaveLength(1);
  });

  describe('when a process dies', () => {
    it('finishes, with a new orchestrator, a deployment that a killed orchestrator had opened and not carried out', async () => {
      const client = jsonClient(suite.system.url);
      await prepareCluster(client, 'killed');
      const orchestrator = suite.system.processes.find((p) => p.service === 'deployment-orchestrator')!;
      await orchestrator.stop('SIGKILL');
      const { deploymentId } = await writeInterruptedCreateDaemon(suite.store, { cluster: 'killed', daemonName: 'left-behind', deploymentOpened: true });
      expect((await client.get(`/v1/deployments/${deploymentId}`)).body.daemonDeployment.status).toBe('PENDING');

      suite.system.start('deployment-orchestrator');
      await deploymentFinished(client, `arn/${deploymentId}`);
      const events = await suite.store.readStream(`daemonDeployment-${deploymentId}`);
      expect(events.map((e) => e.type)).toEqual(['DeploymentCreated', 'DeploymentStarted', 'DeploymentSucceeded']);
    });

    it('answers /health with 503 naming a service that does not answer, and 200 once it is back', async () => {
      const client = jsonClient(suite.system.url);
      await suite.system.processes.find((p) => p.service === 'alarm-monitor')!.stop();
      const down = await eventually(async () => {
        const health = await client.get('/health');
        expect(health.status).toBe(503);
        return health.body;
      });
      expect(down.error.alarmMonitor.status).toBe('down');
      expect(Object.keys(down.error)).toEqual(['alarmMonitor']);

      suite.system.start('alarm-monitor');
      await eventually(async () => expect((await client.get('/health')).status).toBe(200), { timeoutMs: 20_000 });
    });
  });
});
