import { ErrorCode, type Event } from '@daemonfleet/contracts';
import { WrongExpectedVersionError, type EventStore, type NewEvent } from '@daemonfleet/event-store';
import { eventSchemas } from '../events/event-schemas.js';

/** The decider shape (the domain's Decider), restated so this library does not depend on the domain. */
export interface DeciderOf<State, Command, DomainEvent extends Event> {
  initialState(): State;
  evolve(state: State, event: DomainEvent): State;
  decide(command: Command, state: State): DomainEvent[];
}

/** Where a command comes from: copied onto every event it causes. */
export interface CommandContext {
  readonly correlationId: string;
  readonly causationId?: string;
  /** Wall-clock epoch milliseconds, also given to the domain on the command. */
  readonly now: number;
}

export interface LoadedAggregate<State> {
  readonly state: State;
  /** Stream version (0 for a stream with no events). */
  readonly version: number;
  /** Global position of the stream's last event (0 for none): where a read model must be to reflect it. */
  readonly position: number;
}

export interface HandledCommand<State, DomainEvent> extends LoadedAggregate<State> {
  readonly newEvents: readonly DomainEvent[];
}

export class ConcurrentModificationError extends Error {
  readonly code = ErrorCode.ConcurrentModification;
  constructor(streamId: string, attempts: number) {
    super(`stream ${streamId} kept changing under ${attempts} attempts; try again`);
  }
}

/**
 * Read, fold, decide, append with the expected version; on a conflict, catch up and decide again (bounded).
 * Folded states are cached by stream with their version, so the work per command does not grow with the length
 * of the stream: a command reads only the events appended since the cached version (architecture section 4).
 */
export class EventSourcedAggregates<State, Command, DomainEvent extends Event> {
  private readonly cache = new Map<string, LoadedAggregate<State>>();

  constructor(
    private readonly store: EventStore,
    private readonly decider: DeciderOf<State, Command, DomainEvent>,
    private readonly newEventId: () => string,
    private readonly options: { maxAttempts?: number; cacheSize?: number } = {},
  ) {}

  async load(streamId: string): Promise<LoadedAggregate<State>> {
    const cached = this.cache.get(streamId) ?? { state: this.decider.initialState(), version: 0, position: 0 };
    const newer = await this.store.readStream(streamId, { fromVersion: cached.version + 1 });
    const loaded = newer.reduce<LoadedAggregate<State>>(
      (current, event) => ({
        state: this.decider.evolve(current.state, { type: event.type, data: event.data } as DomainEvent),
        version: event.streamVersion,
        position: event.globalPosition,
      }),
      cached,
    );
    this.remember(streamId, loaded);
    return loaded;
  }

  async handle(streamId: string, command: Command, context: CommandContext): Promise<HandledCommand<State, DomainEvent>> {
    const maxAttempts = this.options.maxAttempts ?? 5;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const current = await this.load(streamId);
      const newEvents = this.decider.decide(command, current.state);
      if (newEvents.length === 0) return { ...current, newEvents };
      try {
        const appended = await this.store.appendToStream(streamId, newEvents.map((event) => this.toNewEvent(event, context)), {
          expectedVersion: current.version,
        });
        const state = newEvents.reduce((s, e) => this.decider.evolve(s, e), current.state);
        const result = { state, version: appended.streamVersion, position: appended.globalPosition };
        this.remember(streamId, result);
        return { ...result, newEvents };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
      }
    }
    throw new ConcurrentModificationError(streamId, maxAttempts);
  }

  /** Drops a cached state, for a caller that knows the stream changed elsewhere in a way it must not miss. */
  forget(streamId: string): void {
    this.cache.delete(streamId);
  }

  private toNewEvent(event: DomainEvent, context: CommandContext): NewEvent {
    return {
      type: event.type,
      data: event.data,
      metadata: {
        eventId: this.newEventId(),
        occurredAt: new Date(context.now).toISOString(),
        correlationId: context.correlationId,
        causationId: context.causationId,
        schemaVersion: eventSchemas.currentVersion(event.type),
      },
    };
  }

  /** A small LRU: re-inserting moves the entry to the end of the Map's order; the oldest goes first. */
  private remember(streamId: string, loaded: LoadedAggregate<State>): void {
    this.cache.delete(streamId);
    this.cache.set(streamId, loaded);
    const limit = this.options.cacheSize ?? 10_000;
    if (this.cache.size > limit) this.cache.delete(this.cache.keys().next().value!);
  }
}

