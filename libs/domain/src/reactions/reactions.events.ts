import type { DomainEvent, Timestamp } from '../shared';

/** Carries the resulting state, not a delta, so replaying it twice changes nothing. */
export type ReactionToggled = DomainEvent<
  'ReactionToggled',
  { postId: string; type: string; userId: string; active: boolean; at: Timestamp }
>;

/** Events of the `reaction-{postId}|{type}|{userId}` stream. */
export type ReactionEvent = ReactionToggled;
