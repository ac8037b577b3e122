import type { Decision } from './decision';

/**
 * `Evolved` is what `evolve` folds: by default the decider's own events, but a decider that
 * checks another stream's state (a ballot needs its poll) also folds that stream's events.
 */
export type Decider<Command, Event, State, Error, Evolved = Event> = {
  decide: (command: Command, state: State) => Decision<Event, Error>;
  evolve: (state: State, event: Evolved) => State;
  /** Shared by every fold, so it is frozen: evolve returns new states, never mutates. */
  initialState: State;
};

export function foldState<State, Evolved>(
  decider: Pick<Decider<unknown, unknown, State, unknown, Evolved>, 'evolve' | 'initialState'>,
  events: readonly Evolved[],
): State {
  return events.reduce(decider.evolve, decider.initialState);
}
