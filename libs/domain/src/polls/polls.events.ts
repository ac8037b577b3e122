import type { DomainEvent, Timestamp } from '../shared';

export type PollOption = { optionId: string; text: string };

export type PollOpened = DomainEvent<
  'PollOpened',
  { pollId: string; title: string; options: PollOption[]; openedAt: Timestamp }
>;

export type PollClosed = DomainEvent<'PollClosed', { pollId: string; closedAt: Timestamp }>;

/** Events of the `poll-{pollId}` stream. */
export type PollEvent = PollOpened | PollClosed;

/** `previousOptionId` lets a projection move the vote without reading the ballot. */
export type Voted = DomainEvent<
  'Voted',
  {
    pollId: string;
    voterId: string;
    optionId: string;
    previousOptionId: string | null;
    votedAt: Timestamp;
  }
>;

export type VoteRetracted = DomainEvent<
  'VoteRetracted',
  { pollId: string; voterId: string; optionId: string; retractedAt: Timestamp }
>;

/** Events of the `ballot-{pollId}|{voterId}` stream. */
export type BallotEvent = Voted | VoteRetracted;
