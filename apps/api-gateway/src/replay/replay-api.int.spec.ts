import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { INestApplication } from '@nestjs/common';
import { Streams } from '@daemonfleet/contracts';
import { createMemoryEventStore, type MemoryEventStore, type RecordedEvent } from '@daemonfleet/event-store';
import { InProcessBus } from '@daemonfleet/messaging';
import { loadConfig, randomIds, systemClock, withCurrentEventSchemas } from '@daemonfleet/service-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiGateway } from '../bootstrap-gateway.js';
import type { Json } from '../testing/gateway.harness.js';
import { DEPLOYMENT_EVENT_TYPES } from './deployment-event-types.js';

/**
 * The replay API over HTTP, the gateway alone on an in-memory store read as every service reads it (upcast), with
 * the golden deployment streams written as they were recorded: each rebuilt at every version, the stream written
 * with an old schema version answering as the current one does, the global feed; and every entry point refusing
 * what it does not take with 400, naming the parameter.
 */
interface Golden {
  readonly deploymentId: string;
  readonly events: RecordedEvent[];
  readonly expected: { readonly version: number; readonly daemonDeployment: Json; readonly progress: Json };
}

const GOLDEN = fileURLToPath(new URL('./__fixtures__/golden/', import.meta.url));
const golden = (name: string): Golden => JSON.parse(readFileSync(`${GOLDEN}${name}.json`, 'utf8')) as Golden;
const NAMES = ['success', 'breaker-rollback', 'alarm-rollback', 'superseded', 'delete'];
/** The success stream again, as written before DeploymentStarted had schema version 2, under an id of its own. */
const V1_ID = 'SchemaVersion1Copy';

describe('replay API (gateway alone)', () => {
  let dataDir: string;
  let raw: MemoryEventStore;
  let app: INestApplication;
  let url: string;

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${url}${path}`, { headers, signal: AbortSignal.timeout(10_000) });
    const text = await response.text();
    return { status: response.status, type: response.headers.get('content-type') ?? '', text, body: text.startsWith('{') ? (JSON.parse(text) as Json) : undefined };
  };
  const post = async (path: string, body?: string) => {
    const response = await fetch(`${url}${path}`, { method: 'POST', headers: body === undefined ? {} : { 'content-type': 'application/json' }, body });
    return { status: response.status, body: (await response.json()) as Json };
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'replay-api-'));
    raw = createMemoryEventStore();
    const append = (streamId: string, events: readonly RecordedEvent[]) =>
      raw.appendToStream(streamId, events.map(({ type, data, metadata }) => ({ type, data, metadata })), { expectedVersion: 'no_stream' });
    for (const name of NAMES) {
      const { deploymentId, events } = golden(name);
      await append(Streams.daemonDeployment(deploymentId), events);
    }
    await append(Streams.daemonDeployment(V1_ID), golden('success.schema-v1').events);
    const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', DATA_DIR: dataDir, READ_MODEL_WAIT_MS: '2000' });
    app = await startApiGateway(
      { processName: 'api-gateway', config, eventStore: withCurrentEventSchemas(raw), transport: { kind: 'in-process', bus: new InProcessBus() }, clock: systemClock, ids: randomIds },
      { port: 0, host: '127.0.0.1' },
    );
    url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await app?.close();
    await raw?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('golden streams through the API', () => {
    it.each(NAMES)('%s: the state at the last version is the answer recorded at its end, and every version rebuilds', async (name) => {
      const { deploymentId, events, expected } = golden(name);
      const latest = await get(`/v1/deployments/${deploymentId}/state`);
      expect(latest.status).toBe(200);
      expect(latest.body).toMatchObject({ deploymentId, version: expected.version, daemonDeployment: expected.daemonDeployment, progress: expected.progress });

      const { body } = await get(`/v1/deployments/${deploymentId}/events?withState=true&maxResults=1000`);
      expect(body.events.map((e: Json) => [e.version, e.type, e.eventId])).toEqual(events.map((e) => [e.streamVersion, e.type, e.metadata.eventId]));
      for (const event of body.events) {
        const at = await get(`/v1/deployments/${deploymentId}/state?atVersion=${event.version}`);
        expect(at.body.daemonDeployment, `${name} at version ${event.version}`).toEqual(event.daemonDeployment);
        expect(at.body.event.summary).toBe(event.summary);
        expect(event.summary).toMatch(/^[A-Z].*\.$/);
      }
      expect(body.events.at(-1).daemonDeployment).toEqual(expected.daemonDeployment);
    });

    it('answers a stream written with DeploymentStarted at schema version 1 as the same stream at version 2, upcast on read', async () => {
      const [current, old] = [golden('success'), await get(`/v1/deployments/${V1_ID}/state`)];
      expect(old.body.daemonDeployment).toEqual(current.expected.daemonDeployment);
      const started = (await get(`/v1/deployments/${V1_ID}/events?type=DeploymentStarted`)).body.events[0];
      // Stored at version 1; read at the current one, with the field version 2 added.
      await expect(raw.readStream(Streams.daemonDeployment(V1_ID), { fromVersion: 2, maxCount: 1 })).resolves.toMatchObject([{ metadata: { schemaVersion: 1 } }]);
      expect(started).toMatchObject({ schemaVersion: 2, data: { timesInAlarmAtStart: {} } });
    });

    it('pages the global feed in order from a position, and filters it by category', async () => {
      const seen: Json[] = [];
      for (let from = 1, pages = 0; pages < 100; pages++) {
        const { body } = await get(`/v1/events?fromPosition=${from}&maxResults=50&category=daemonDeployment`);
        if (body.events.length === 0) break;
        seen.push(...body.events);
        from = body.nextPosition;
      }
      const total = NAMES.reduce((n, name) => n + golden(name).events.length, 0) + golden('success.schema-v1').events.length;
      expect(seen).toHaveLength(total);
      expect(seen.map((e) => e.position)).toEqual(seen.map((_, i) => i + 1));
      expect((await get('/v1/events?category=alarm')).body).toMatchObject({ events: [], headPosition: total });
    });
  });

  describe('input', () => {
    const ID = golden('breaker-rollback').deploymentId;
    const last = golden('breaker-rollback').events.length;
    /** Each request refused with 400 InvalidParameterException, and a message that names what was wrong. */
    const refused: [string, string, RegExp][] = [
      ['an unknown parameter of the events', `/v1/deployments/${ID}/events?bogus=1`, /^property bogus should not exist$/],
      ['a version below 1', `/v1/deployments/${ID}/events?fromVersion=0`, /^fromVersion must not be less than 1$/],
      ['a version that is no number', `/v1/deployments/${ID}/events?toVersion=two`, /^toVersion must be an integer number$/],
      ['a fractional version', `/v1/deployments/${ID}/events?fromVersion=1.5`, /^fromVersion must be an integer number$/],
      ['an empty version range', `/v1/deployments/${ID}/events?fromVersion=5&toVersion=4`, /^toVersion must not be less than fromVersion$/],
      ['an unknown event type', `/v1/deployments/${ID}/events?type=DeploymentUpdated`, /^type must be one of DeploymentCreated, /],
      ['too many types', `/v1/deployments/${ID}/events?${Array.from({ length: DEPLOYMENT_EVENT_TYPES.length + 1 }, () => 'type=DeploymentCreated').join('&')}`, /^type must contain no more than/],
      ['withState other than true or false', `/v1/deployments/${ID}/events?withState=yes`, /^withState must be one of the following values: true, false$/],
      ['a page over 1000', `/v1/deployments/${ID}/events?maxResults=1001`, /^maxResults must not be greater than 1000$/],
      ['a page size that is no number', `/v1/deployments/${ID}/events?maxResults=all`, /^maxResults must be an integer number$/],
      ['an empty next token', `/v1/deployments/${ID}/events?nextToken=`, /^nextToken must be longer than or equal to 1 characters$/],
      ['a forged next token', `/v1/deployments/${ID}/events?nextToken=eyJrIjoiMyJ9.forged`, /^nextToken: the token is not valid for this request$/],
      ['an unknown parameter of the state', `/v1/deployments/${ID}/state?version=3`, /^property version should not exist$/],
      ['a state version that is no number', `/v1/deployments/${ID}/state?atVersion=last`, /^atVersion must be an integer number$/],
      ['a state version below 1', `/v1/deployments/${ID}/state?atVersion=0`, /^atVersion must not be less than 1$/],
      ['a state version after the last event', `/v1/deployments/${ID}/state?atVersion=${last + 1}`, new RegExp(`^atVersion ${last + 1} is after the deployment’s last event \\(version ${last}\\)$`)],
      ['a parameter of the watch', `/v1/deployments/${ID}/watch?from=3`, /^property from should not exist$/],
      ['a deployment id that cannot be one (events)', '/v1/deployments/not-an-id/events', /^deploymentId must be 16 to 32 letters or digits$/],
      ['a deployment id that cannot be one (state)', `/v1/deployments/${'x'.repeat(33)}/state`, /^deploymentId must be 16 to 32 letters or digits$/],
      ['a deployment id that cannot be one (watch)', '/v1/deployments/short/watch', /^deploymentId must be 16 to 32 letters or digits$/],
      ['an unknown parameter of the feed', '/v1/events?position=3', /^property position should not exist$/],
      ['a feed position below 1', '/v1/events?fromPosition=0', /^fromPosition must not be less than 1$/],
      ['a feed position that is no number', '/v1/events?fromPosition=start', /^fromPosition must be an integer number$/],
      ['a category that is none', '/v1/events?category=Daemon-Deployment', /^category must be a stream category such as daemonDeployment$/],
      ['too many categories', `/v1/events?${Array.from({ length: 33 }, (_, i) => `category=c${i}`).join('&')}`, /^category must contain no more than 32 elements$/],
      ['a feed page of 0', '/v1/events?maxResults=0', /^maxResults must not be less than 1$/],
      ['a parameter of the projections status', '/v1/projections?verbose=true', /^property verbose should not exist$/],
    ];
    it.each(refused)('refuses %s with 400, naming it', async (_what, path, message) => {
      const { status, body } = await get(path);
      expect({ status, body }).toEqual({ status: 400, body: { __type: 'InvalidParameterException', message: expect.stringMatching(message) } });
    });

    it('refuses a Last-Event-ID that is not a version, before the stream starts', async () => {
      for (const lastEventId of ['three', '-1', '1.5', '1e3', '99999999999999999999']) {
        const { status, type, body } = await get(`/v1/deployments/${ID}/watch`, { 'last-event-id': lastEventId });
        expect({ lastEventId, status, type, body }).toMatchObject({ lastEventId, status: 400, type: expect.stringContaining('application/json'), body: { __type: 'InvalidParameterException', message: 'Last-Event-ID must be a version: a whole number from 0' } });
      }
    });

    it('answers 404 for a deployment the store does not hold, on each entry point', async () => {
      for (const path of ['events', 'state', 'watch'])
        expect(await get(`/v1/deployments/AAAAAAAAAAAAAAAA/${path}`)).toMatchObject({ status: 404, body: { __type: 'ClientException', message: 'Daemon deployment not found: AAAAAAAAAAAAAAAA' } });
    });

    it('rebuilds the projections on a POST without a body or with an empty one, and refuses any field', async () => {
      expect(await post('/v1/projections/rebuild')).toMatchObject({ status: 200, body: { eventsFolded: expect.any(Number) } });
      expect(await post('/v1/projections/rebuild', '{}')).toMatchObject({ status: 200 });
      expect(await post('/v1/projections/rebuild', '{"full":true}')).toEqual({ status: 400, body: { __type: 'InvalidParameterException', message: 'property full should not exist' } });
      expect((await post('/v1/projections/rebuild', '[1]')).status).toBe(400);
      expect((await get('/v1/projections')).body).toMatchObject({ caughtUp: true, rebuilding: false, lastRebuild: { eventsFolded: expect.any(Number) } });
    });

    it('takes what it documents: types repeated, a version range, a page and its token', async () => {
      const page = await get(`/v1/deployments/${ID}/events?type=CircuitBreakerFailuresRecorded&type=DeploymentRolledBack&fromVersion=2&toVersion=${last}&maxResults=1`);
      expect(page.status).toBe(200);
      expect(page.body.events.map((e: Json) => e.type)).toEqual(['CircuitBreakerFailuresRecorded']);
      const next = await get(`/v1/deployments/${ID}/events?type=CircuitBreakerFailuresRecorded&type=DeploymentRolledBack&fromVersion=2&toVersion=${last}&maxResults=1&nextToken=${encodeURIComponent(page.body.nextToken)}`);
      expect(next.status).toBe(200);
      // The token is bound to the filters it was given with.
      expect((await get(`/v1/deployments/${ID}/events?maxResults=1&nextToken=${encodeURIComponent(page.body.nextToken)}`)).status).toBe(400);
    });
  });
});
