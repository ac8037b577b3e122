import type { DomainCommand, Timestamp } from '../shared';

export type ClaimUsername = DomainCommand<
  'ClaimUsername',
  { userId: string; username: string; at: Timestamp }
>;

export type UsernameCommand = ClaimUsername;
