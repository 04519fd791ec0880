import type { Event } from '@daemonfleet/contracts';

/**
 * One decider per aggregate (Emmett, Chassaing): state is a left fold of events; a command is decided against
 * the state and answers with new events, or throws a DomainError when it is refused. Pure: time, ids and
 * anything looked up elsewhere arrive on the command.
 */
export interface Decider<State, Command, DomainEvent extends Event> {
  initialState(): State;
  evolve(state: State, event: DomainEvent): State;
  decide(command: Command, state: State): DomainEvent[];
}

export function fold<State, DomainEvent extends Event>(
  decider: Pick<Decider<State, never, DomainEvent>, 'initialState' | 'evolve'>,
  events: readonly DomainEvent[],
  from: State = decider.initialState(),
): State {
  return events.reduce((state, event) => decider.evolve(state, event), from);
}

/** Ends a switch over a closed union: adding a member without handling it fails to compile. */
export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
