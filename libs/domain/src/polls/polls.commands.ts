import type { DomainCommand, Timestamp } from '../shared';
import type { PollOption } from './polls.events';

export type OpenPoll = DomainCommand<
  'OpenPoll',
  { pollId: string; title: string; options: PollOption[]; at: Timestamp }
>;

export type ClosePoll = DomainCommand<'ClosePoll', { pollId: string; at: Timestamp }>;

export type PollCommand = OpenPoll | ClosePoll;

export type CastVote = DomainCommand<
  'CastVote',
  { pollId: string; voterId: string; optionId: string; at: Timestamp }
>;

export type RetractVote = DomainCommand<
  'RetractVote',
  { pollId: string; voterId: string; at: Timestamp }
>;

export type BallotCommand = CastVote | RetractVote;
