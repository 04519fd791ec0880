import type { Event } from '@daemonfleet/contracts';
import type { RecordedEvent } from '@daemonfleet/event-store';

/** What a projection holds, as plain structured-clonable data: its part of a read-model snapshot. */
export interface StreamProjectionContent<State> {
  readonly states: Map<string, State>;
  readonly versions: Map<string, number>;
}

/**
 * The folded state of every stream of one category, kept in memory: the same `evolve` the owning service
 * decides with, so a read model can never disagree with the aggregate it shows. It also knows each stream's
 * version, so an answer can say which version of its stream it reflects.
 */
export class StreamProjection<State, DomainEvent extends Event> {
  private states = new Map<string, State>();
  private versions = new Map<string, number>();
  private readonly prefix: string;

  constructor(
    category: string,
    private readonly initialState: () => State,
    private readonly evolve: (state: State, event: DomainEvent) => State,
  ) {
    this.prefix = `${category}-`;
  }

  /** Folds the event in if it belongs to this category; answers whether it did. */
  apply(event: RecordedEvent): boolean {
    if (!event.streamId.startsWith(this.prefix)) return false;
    const current = this.states.get(event.streamId) ?? this.initialState();
    this.states.set(event.streamId, this.evolve(current, { type: event.type, data: event.data } as DomainEvent));
    this.versions.set(event.streamId, event.streamVersion);
    return true;
  }

  get(streamId: string): State | undefined {
    return this.states.get(streamId);
  }

  /** The version of the stream's last event folded in (0 for a stream it has not seen). */
  version(streamId: string): number {
    return this.versions.get(streamId) ?? 0;
  }

  values(): IterableIterator<State> {
    return this.states.values();
  }

  content(): StreamProjectionContent<State> {
    return { states: this.states, versions: this.versions };
  }

  /** Replaces everything it holds (a snapshot's content, or nothing to start over). */
  restore(content: StreamProjectionContent<State> = { states: new Map(), versions: new Map() }): void {
    this.states = content.states;
    this.versions = content.versions;
  }
}
