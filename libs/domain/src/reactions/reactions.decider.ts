import type { Decider, Decision } from '../shared';
import { accept, assertNever } from '../shared';
import type { ReactionCommand } from './reactions.commands';
import type { ReactionEvent, ReactionToggled } from './reactions.events';

export type ReactionState = { active: boolean };

/** Reacting can always be decided: a post id is the caller's, never checked here. */
export type ReactionError = never;

export const initialReactionState: ReactionState = Object.freeze({ active: false });

export const isReactionActive = (state: ReactionState): boolean => state.active;

export function evolveReaction(_state: ReactionState, event: ReactionEvent): ReactionState {
  switch (event.type) {
    case 'ReactionToggled':
      return { active: event.data.active };
    default:
      return assertNever(event.type);
  }
}

export function decideReaction(
  command: ReactionCommand,
  state: ReactionState,
): Decision<ReactionEvent, ReactionError> {
  const { postId, type, userId, at } = command.data;
  const toggled = (active: boolean): ReactionToggled => ({
    type: 'ReactionToggled',
    data: { postId, type, userId, active, at },
  });
  switch (command.type) {
    case 'SetReaction':
      return command.data.active === state.active ? accept() : accept(toggled(command.data.active));
    case 'ToggleReaction':
      return accept(toggled(!state.active));
    default:
      return assertNever(command);
  }
}

export const reactionDecider: Decider<
  ReactionCommand,
  ReactionEvent,
  ReactionState,
  ReactionError
> = { decide: decideReaction, evolve: evolveReaction, initialState: initialReactionState };
