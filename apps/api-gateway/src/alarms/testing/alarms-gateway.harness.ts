import type { INestApplication } from '@nestjs/common';
import type { ErrorPayload, Event, MessageMeta, Scope } from '@daemonfleet/contracts';
import { createMemoryEventStore, type MemoryEventStore } from '@daemonfleet/event-store';
import { InProcessBus } from '@daemonfleet/messaging';
import { loadConfig, randomIds, systemClock } from '@daemonfleet/service-runtime';
import { startApiGateway } from '../../bootstrap-gateway.js';

export const SCOPE: Scope = { accountId: '123456789012', region: 'us-east-1' };

/** What the fake alarm monitor does with a command: append the events the real one would, and answer its result. */
export type FakeHandler = (data: Record<string, unknown>, meta: MessageMeta) => Promise<unknown> | unknown;

/** A refusal, as the alarm monitor's error filter sends one. */
export class Refusal {
  constructor(readonly payload: ErrorPayload) {}
}

/**
 * The gateway alone, over HTTP, on a real in-memory store and in-process bus, with a fake alarm monitor answering
 * the alarm commands as each test programs it (the gateway's own harness fakes the fleet agent and the orchestrator).
 */
export interface AlarmsGatewayHarness {
  readonly store: MemoryEventStore;
  /** Every alarm command the gateway sent, in order. */
  readonly sent: { readonly subject: string; readonly data: Record<string, unknown>; readonly meta: MessageMeta }[];
  /** Programs the answer to every later command on `subject`: a result, or a Refusal. */
  answer(subject: string, handler: FakeHandler): void;
  append(streamId: string, events: readonly Event[], at: number): Promise<void>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are read freely by the specs
  request(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export async function startAlarmsGateway(): Promise<AlarmsGatewayHarness> {
  const bus = new InProcessBus();
  const store = createMemoryEventStore();
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', DEFAULT_ACCOUNT_ID: SCOPE.accountId, DEFAULT_REGION: SCOPE.region, READ_MODEL_WAIT_MS: '2000' });
  const handlers = new Map<string, FakeHandler>();
  const sent: AlarmsGatewayHarness['sent'] = [];
  let eventNumber = 0;
  // The fake answers in the packets Nest's transports exchange: `{ id, response }` or `{ id, err }`.
  bus.subscribe('alarms.command.*', 'alarm-monitor', async (raw, subject) => {
    const packet = raw as { id: string; data: { data: Record<string, unknown>; meta: MessageMeta } };
    sent.push({ subject, ...packet.data });
    const handler = handlers.get(subject);
    const outcome = handler ? await handler(packet.data.data, packet.data.meta) : new Refusal({ code: 'INTERNAL', message: `no fake answer for ${subject}` });
    if (outcome instanceof Refusal) return { id: packet.id, err: outcome.payload, isDisposed: true };
    return { id: packet.id, response: { result: outcome, position: await store.headPosition() }, isDisposed: true };
  });
  const app: INestApplication = await startApiGateway(
    { processName: 'api-gateway', config, eventStore: store, transport: { kind: 'in-process', bus }, clock: systemClock, ids: randomIds },
    { port: 0, host: '127.0.0.1' },
  );
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  return {
    store,
    sent,
    answer: (subject, handler) => handlers.set(subject, handler),
    append: async (streamId, events, at) => {
      const metadata = () => ({ eventId: `event-${++eventNumber}`, occurredAt: new Date(at).toISOString(), schemaVersion: 1 });
      await store.appendToStream(streamId, events.map((event) => ({ ...event, metadata: metadata() })), { expectedVersion: 'any' });
    },
    request: async (method, path, body) => {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    },
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}
