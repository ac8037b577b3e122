import type { DomainCommand, Timestamp } from '../shared';

/** The idempotent "I want it on/off": a double click asks for the same state twice. */
export type SetReaction = DomainCommand<
  'SetReaction',
  { postId: string; type: string; userId: string; active: boolean; at: Timestamp }
>;

export type ToggleReaction = DomainCommand<
  'ToggleReaction',
  { postId: string; type: string; userId: string; at: Timestamp }
>;

export type ReactionCommand = SetReaction | ToggleReaction;
