import type { Decider } from './decider';
import { foldState } from './decider';

// Named `.spec.ts` so the production build leaves it out (it calls jest's `expect`); jest
// runs only `.unit|int|e2e|race.spec.ts`, so this support file is never a suite itself.

type Outcome<Event, Error extends { code: string }> = {
  then: (expected: Event[]) => void;
  thenRejects: (expected: Error['code'] | Partial<Error>) => void;
  thenNothing: () => void;
};

/** `specification(decider).given(events).when(command).then(events)`, asserted by jest. */
export function specification<Command, Event, State, Error extends { code: string }, Evolved>(
  decider: Decider<Command, Event, State, Error, Evolved>,
) {
  return {
    given: (events: readonly Evolved[]) => ({
      when: (command: Command): Outcome<Event, Error> => {
        const decide = () => decider.decide(command, foldState(decider, events));
        return {
          then: (expected) => {
            expect(decide()).toEqual({ ok: true, events: expected });
          },
          thenRejects: (expected) => {
            const error = typeof expected === 'string' ? { code: expected } : expected;
            expect(decide()).toMatchObject({ ok: false, error });
          },
          thenNothing: () => {
            expect(decide()).toEqual({ ok: true, events: [] });
          },
        };
      },
    }),
  };
}
