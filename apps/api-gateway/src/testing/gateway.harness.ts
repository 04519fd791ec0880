import type { INestApplication } from '@nestjs/common';
import type { ErrorPayload, Event, MessageMeta } from '@daemonfleet/contracts';
import { createMemoryEventStore, type MemoryEventStore } from '@daemonfleet/event-store';
import { InProcessBus } from '@daemonfleet/messaging';
import { loadConfig, randomIds, systemClock } from '@daemonfleet/service-runtime';
import { startApiGateway } from '../bootstrap-gateway.js';
import { SCOPE, T0 } from './fleet.fixtures.js';

/** Response bodies are whatever the gateway answered; specs read them freely and assert on what they read. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** What a fake service does with a command: append the events the real one would, and answer its result. */
export type FakeHandler = (data: Record<string, unknown>) => Promise<unknown> | unknown;

/** A command as the gateway sent it. */
export interface SentCommand {
  readonly subject: string;
  readonly data: Record<string, unknown>;
  readonly meta: MessageMeta;
}

/**
 * The gateway alone, over HTTP, on a real in-memory store and in-process bus. The other services are fakes
 * that answer on the bus with the replies a test programs, so a spec needs none of them.
 */
export interface GatewayHarness {
  readonly url: string;
  readonly store: MemoryEventStore;
  readonly sent: SentCommand[];
  /** Programs the answer to every later command on `subject`. */
  answer(subject: string, handler: FakeHandler): void;
  /** Answers commands on `subject` with this error, as the owning service's error filter would send it. */
  refuse(subject: string, error: ErrorPayload): void;
  append(streamId: string, events: readonly Event[]): Promise<number>;
  request(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }>;
  close(): Promise<void>;
}

class Refusal {
  constructor(readonly payload: ErrorPayload) {}
}

export async function startGateway(): Promise<GatewayHarness> {
  const bus = new InProcessBus();
  const store = createMemoryEventStore();
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', DEFAULT_ACCOUNT_ID: SCOPE.accountId, DEFAULT_REGION: SCOPE.region, READ_MODEL_WAIT_MS: '2000' });
  const handlers = new Map<string, FakeHandler>();
  const sent: SentCommand[] = [];
  let eventNumber = 0;
  const append = async (streamId: string, events: readonly Event[]) => {
    const metadata = () => ({ eventId: `event-${++eventNumber}`, occurredAt: new Date(T0).toISOString(), schemaVersion: 1 });
    const { globalPosition } = await store.appendToStream(streamId, events.map((event) => ({ ...event, metadata: metadata() })), { expectedVersion: 'any' });
    return globalPosition;
  };
  // The fakes answer in the packets Nest's transports exchange: `{ id, response }` or `{ id, err }`.
  for (const [subjects, queueGroup] of [
    ['fleet.command.*', 'fleet-agent'],
    ['orchestrator.command.*', 'deployment-orchestrator'],
  ] as const) {
    bus.subscribe(subjects, queueGroup, async (raw, subject) => {
      const packet = raw as { id: string; data: { data: Record<string, unknown>; meta: MessageMeta } };
      sent.push({ subject, ...packet.data });
      const handler = handlers.get(subject);
      if (!handler) return { id: packet.id, err: { code: 'INTERNAL', message: `no fake answer for ${subject}` }, isDisposed: true };
      const outcome = await handler(packet.data.data);
      if (outcome instanceof Refusal) return { id: packet.id, err: outcome.payload, isDisposed: true };
      return { id: packet.id, response: { result: outcome, position: await store.headPosition() }, isDisposed: true };
    });
  }
  const app: INestApplication = await startApiGateway(
    { processName: 'api-gateway', config, eventStore: store, transport: { kind: 'in-process', bus }, clock: systemClock, ids: randomIds },
    { port: 0, host: '127.0.0.1' },
  );
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  return {
    url,
    store,
    sent,
    answer: (subject, handler) => handlers.set(subject, handler),
    refuse: (subject, error) => handlers.set(subject, () => new Refusal(error)),
    append,
    request: async (method, path, body) => {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as Json) : undefined };
    },
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}
