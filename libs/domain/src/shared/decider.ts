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

export type BatchDecision<Event, State, Error> = {
  /** One decision per command, in command order. */
  decisions: Decision<Event, Error>[];
  /** Every accepted command's events, in command order: one append for the whole batch. */
  events: Event[];
  state: State;
};

/**
 * Group commit: each command is decided against the state left by the commands accepted
 * before it, so a batch decided against one loaded state keeps every invariant.
 */
export function decideInSequence<Command, Event extends Evolved, State, Error, Evolved>(
  decider: Decider<Command, Event, State, Error, Evolved>,
  commands: readonly Command[],
  state: State,
): BatchDecision<Event, State, Error> {
  const decisions: Decision<Event, Error>[] = [];
  const events: Event[] = [];
  let current = state;
  for (const command of commands) {
    const decision = decider.decide(command, current);
    decisions.push(decision);
    if (decision.ok) {
      events.push(...decision.events);
      current = decision.events.reduce(decider.evolve, current);
    }
  }
  return { decisions, events, state: current };
}
