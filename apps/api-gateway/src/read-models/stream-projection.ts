import type { Event } from '@daemonfleet/contracts';
import type { RecordedEvent } from '@daemonfleet/event-store';

/**
 * The folded state of every stream of one category, kept in memory: the same `evolve` the owning service
 * decides with, so a read model can never disagree with the aggregate it shows.
 */
export class StreamProjection<State, DomainEvent extends Event> {
  private readonly states = new Map<string, State>();
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
    return true;
  }

  get(streamId: string): State | undefined {
    return this.states.get(streamId);
  }

  values(): IterableIterator<State> {
    return this.states.values();
  }
}
