import { specification } from '../shared/specification.spec';
import type { ReactionToggled } from './reactions.events';
import { reactionDecider } from './reactions.decider';

const at = '2025-03-01T10:00:00.000Z';
const key = { postId: 'post-1', type: 'like', userId: 'u-1' };
const toggled = (active: boolean): ReactionToggled => ({
  type: 'ReactionToggled',
  data: { ...key, active, at },
});
const set = (active: boolean) => ({ type: 'SetReaction', data: { ...key, active, at } }) as const;
const toggle = { type: 'ToggleReaction', data: { ...key, at } } as const;

const spec = specification(reactionDecider);

describe('setting a reaction', () => {
  it('when the user has not reacted → turns it on', () => {
    spec
      .given([])
      .when(set(true))
      .then([toggled(true)]);
  });

  it('when a double click asks to turn it on again → records nothing', () => {
    spec
      .given([toggled(true)])
      .when(set(true))
      .thenNothing();
  });

  it('when it is on and the user turns it off → turns it off', () => {
    spec
      .given([toggled(true)])
      .when(set(false))
      .then([toggled(false)]);
  });

  it('when it was never on and the user turns it off → records nothing', () => {
    spec.given([]).when(set(false)).thenNothing();
  });
});

describe('toggling a reaction', () => {
  it('when the user has not reacted → turns it on', () => {
    spec
      .given([])
      .when(toggle)
      .then([toggled(true)]);
  });

  it('when it is on → turns it off', () => {
    spec
      .given([toggled(true)])
      .when(toggle)
      .then([toggled(false)]);
  });

  it('when it was turned on and off → turns it on again', () => {
    spec
      .given([toggled(true), toggled(false)])
      .when(toggle)
      .then([toggled(true)]);
  });
});
