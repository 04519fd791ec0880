// `npm run rebuild-projections [-- --gateway <url> ...]`: drops the gateway's read models and rebuilds them from the
// event store. See USAGE.
import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createEventStore, InvalidConfigurationError, loadConfig, type ServiceConfig } from '@daemonfleet/service-runtime';
import { ReadModelSnapshots } from './read-model-snapshots.js';
import { describeReadModels, foldStore } from './read-model-rebuild.js';

const USAGE = `npm run rebuild-projections [-- --gateway <url> ...]

Drops the gateway's read models and rebuilds them from the event store the environment configures, as a gateway
starting does: embedded mode reads DATA_DIR/events.sqlite (DATA_DIR, default ./data), distributed mode the JetStream
stream EVENT_STREAM (default DF_EVENTS) at NATS_URL.

  1. With --gateway <url> (repeat for several replicas): asks each running gateway to drop its read models and
     rebuild them from the store (POST /v1/projections/rebuild); it answers from the old ones until the new ones
     have caught up, then from the new ones.
  2. Removes the read-model snapshot of that store (DATA_DIR/projections/), folds every event of the store into new
     read models and writes them as the new snapshot: the next gateway to start takes them up.

Exit status: 0 done, 1 a failure (nothing to read, a gateway that did not rebuild), 2 a wrong command line or environment.`;

class UsageError extends Error {}

function parseCommandLine(argv: readonly string[]): { gateways: string[]; help: boolean } {
  try {
    const { values } = parseArgs({ args: [...argv], options: { gateway: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } } });
    const gateways = (values.gateway ?? []).map((url) => url.replace(/\/+$/, ''));
    for (const url of gateways) if (!/^https?:\/\/[^\s/]+/.test(url)) throw new UsageError(`--gateway must be an http(s) URL, not ${url}`);
    return { gateways, help: values.help ?? false };
  } catch (error) {
    throw error instanceof UsageError ? error : new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function storeName(config: ServiceConfig): string {
  return config.natsServers ? `JetStream stream ${config.eventStreamName} at ${config.natsServers.join(',')}` : `SQLite ${join(config.dataDir, 'events.sqlite')}`;
}

async function rebuildSnapshot(config: ServiceConfig): Promise<void> {
  if (!config.natsServers && !existsSync(join(config.dataDir, 'events.sqlite')))
    throw new Error(`no event store at ${join(config.dataDir, 'events.sqlite')}: set DATA_DIR to the embedded system's (or NATS_URL for distributed mode)`);
  const store = await createEventStore(config);
  try {
    const snapshots = ReadModelSnapshots.of(config);
    console.log(`Event store: ${storeName(config)}`);
    await snapshots.remove();
    console.log(`Dropped the read-model snapshot ${snapshots.path}`);
    const started = performance.now();
    const { readModels, eventsFolded, snapshot } = await foldStore(store);
    const ms = Math.round(performance.now() - started);
    if (!snapshot) {
      console.log('The event store holds no event: nothing to rebuild (a gateway starts with empty read models).');
      return;
    }
    await snapshots.save(snapshot);
    console.log(`Rebuilt the read models from ${eventsFolded} events (up to position ${snapshot.position}) in ${ms} ms: ${describeReadModels(readModels)}.`);
    console.log(`Wrote ${snapshots.path}: a gateway of this store takes it up when it starts.`);
  } finally {
    await store.close();
  }
}

async function rebuildGateway(url: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`${url}/v1/projections/rebuild`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  } catch (error) {
    throw new Error(`cannot reach the gateway at ${url}: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}`);
  }
  const body = (await response.json().catch(() => ({}))) as { position?: number; eventsFolded?: number; durationMs?: number; __type?: string; message?: string };
  if (response.status !== 200) throw new Error(`the gateway at ${url} answered ${response.status}: ${body.__type ?? ''} ${body.message ?? ''}`.trim());
  console.log(`Gateway ${url}: rebuilt its read models from ${body.eventsFolded} events in ${body.durationMs} ms; they answer from position ${body.position} on.`);
}

try {
  const { gateways, help } = parseCommandLine(process.argv.slice(2));
  if (help) {
    console.log(USAGE);
  } else {
    const config = loadConfig();
    // The gateways first: each drops the snapshot file as it starts its rebuild, so the one written last stays.
    for (const url of gateways) await rebuildGateway(url);
    await rebuildSnapshot(config);
  }
} catch (error) {
  const usage = error instanceof UsageError || error instanceof InvalidConfigurationError;
  process.stderr.write(`rebuild-projections: ${error instanceof Error ? error.message : String(error)}\n${error instanceof UsageError ? `\n${USAGE}\n` : ''}`);
  process.exitCode = usage ? 2 : 1;
}
