import { deepStrictEqual, fail, ok } from 'node:assert/strict';

/** The shape of a decider, stated here so the testing library depends on no project. */
export interface DeciderLike<State, Command, Event> {
  initialState(): State;
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State): Event[];
}

/**
 * given(events).when(command).then(events) | thenNothingHappened() | thenThrows(ErrorClass): the domain's tests
 * read as scenarios (Emmett, Chassaing).
 */
export const DeciderSpecification = {
  for:
    <State, Command, Event>(decider: DeciderLike<State, Command, Event>) =>
    (given: readonly Event[]) => ({
      when: (command: Command) => {
        const run = (): Event[] => decider.decide(command, given.reduce((s, e) => decider.evolve(s, e), decider.initialState()));
        return {
          then: (expected: readonly Event[]) => deepStrictEqual(run(), expected),
          thenNothingHappened: () => deepStrictEqual(run(), []),
          thenThrows: <E extends Error>(errorType: abstract new (...args: never[]) => E, check?: (error: E) => void) => {
            try {
              run();
            } catch (error) {
              ok(error instanceof errorType, `expected ${errorType.name}, got ${String(error)}`);
              check?.(error as E);
              return;
            }
            fail(`expected ${errorType.name} to be thrown`);
          },
        };
      },
    }),
};
