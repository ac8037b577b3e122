import type { DomainEvent, Timestamp } from '../shared';

/** `username` keeps the letter case as claimed; `normalized` is what makes it unique. */
export type UsernameClaimed = DomainEvent<
  'UsernameClaimed',
  { userId: string; username: string; normalized: string; claimedAt: Timestamp }
>;

/** Events of the `username-{normalized}` stream. */
export type UsernameEvent = UsernameClaimed;
