import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@daemonfleet/service-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedSystem, type EmbeddedSystem } from './embedded-system.js';
import { jsonClient } from './testing/http-client.js';
import { agentDefinition, deploymentFinished, firstFlowScenario, interruptedCreateScenario, managedInstancesProvider } from './testing/first-flow.scenario.js';

// The fleet's metric reports would move the store's head during checks that it stays put: one a day is none here.
const configFor = (dataDir: string) => loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', RESYNC_INTERVAL_MS: '200', METRICS_PERIOD_SECONDS: '86400' });

describe('embedded mode: one process, the in-process transport, SQLite in DATA_DIR', () => {
  let dataDir: string;
  let system: EmbeddedSystem;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'daemonfleet-e2e-'));
    system = await startEmbeddedSystem(configFor(dataDir), { host: '127.0.0.1' });
  });
  afterAll(async () => {
    await system?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  firstFlowScenario(() => ({ client: jsonClient(system.url), store: system.eventStore }));
  interruptedCreateScenario(() => ({ client: jsonClient(system.url), store: system.eventStore }));

  it('keeps every daemon and deployment when restarted on the same DATA_DIR', async () => {
    const client = jsonClient(system.url);
    await client.post('/v1/clusters', { clusterName: 'restart' });
    await client.post('/v1/capacity-providers', managedInstancesProvider('restart-mi', 'restart'));
    await client.post('/v1/daemon-task-definitions', agentDefinition('restart-agent'));
    const created = await client.post('/v1/daemons', { daemonName: 'kept', clusterArn: 'restart', daemonTaskDefinitionArn: 'restart-agent:1', capacityProviderArns: ['restart-mi'] });
    const deploymentId = created.body.deploymentArn.split('/').at(-1);
    await deploymentFinished(client, created.body.deploymentArn);
    const before = {
      daemon: (await client.get('/v1/daemons/restart/kept')).body,
      deployment: (await client.get(`/v1/deployments/${deploymentId}`)).body,
      daemons: (await client.get('/v1/daemons?clusterArn=restart')).body,
      taskDefinitions: (await client.get('/v1/daemon-task-definitions?status=ALL')).body,
    };
    const head = await system.eventStore.headPosition();

    await system.close();
    system = await startEmbeddedSystem(configFor(dataDir), { host: '127.0.0.1' });
    const restarted = jsonClient(system.url);

    expect(await system.eventStore.headPosition()).toBe(head);
    expect((await restarted.get('/v1/daemons/restart/kept')).body).toEqual(before.daemon);
    expect((await restarted.get(`/v1/deployments/${deploymentId}`)).body).toEqual(before.deployment);
    expect((await restarted.get('/v1/daemons?clusterArn=restart')).body).toEqual(before.daemons);
    expect((await restarted.get('/v1/daemon-task-definitions?status=ALL')).body).toEqual(before.taskDefinitions);
    // Nothing was decided twice: a finished deployment stays finished, no event was added by the restart.
    expect(await system.eventStore.headPosition()).toBe(head);
  });
});
