import type { Decider, Decision, DomainErrorOf } from '../shared';
import { accept, assertNever, reject } from '../shared';
import type { BallotCommand, CastVote, PollCommand, RetractVote } from './polls.commands';
import type { BallotEvent, PollEvent, PollOption } from './polls.events';

export type PollState =
  | { status: 'none' }
  | { status: 'open' | 'closed'; pollId: string; title: string; options: PollOption[] };

export type BallotState = { optionId: string | null };

/** What a vote is decided against: its poll and the voter's ballot. */
export type VotingState = { poll: PollState; ballot: BallotState };

export type PollError = DomainErrorOf<'poll_exists' | 'poll_not_found'>;
export type BallotError = DomainErrorOf<'poll_not_found' | 'option_not_found' | 'poll_closed'>;

export const initialPollState: PollState = Object.freeze({ status: 'none' });
export const initialBallotState: BallotState = Object.freeze({ optionId: null });
export const initialVotingState: VotingState = Object.freeze({
  poll: initialPollState,
  ballot: initialBallotState,
});

export const currentOption = (ballot: BallotState): string | null => ballot.optionId;
const hasOption = (poll: PollState, optionId: string): boolean =>
  poll.status !== 'none' && poll.options.some((option) => option.optionId === optionId);

export function evolvePoll(state: PollState, event: PollEvent): PollState {
  switch (event.type) {
    case 'PollOpened': {
      const { pollId, title, options } = event.data;
      return { status: 'open', pollId, title, options };
    }
    case 'PollClosed':
      return state.status === 'none' ? state : { ...state, status: 'closed' };
    default:
      return assertNever(event);
  }
}

export function evolveBallot(state: BallotState, event: BallotEvent): BallotState {
  switch (event.type) {
    case 'Voted':
      return { optionId: event.data.optionId };
    case 'VoteRetracted':
      return { optionId: null };
    default:
      return assertNever(event);
  }
}

export function evolveVoting(state: VotingState, event: PollEvent | BallotEvent): VotingState {
  switch (event.type) {
    case 'PollOpened':
    case 'PollClosed':
      return { ...state, poll: evolvePoll(state.poll, event) };
    case 'Voted':
    case 'VoteRetracted':
      return { ...state, ballot: evolveBallot(state.ballot, event) };
    default:
      return assertNever(event);
  }
}

export function decidePoll(command: PollCommand, state: PollState): Decision<PollEvent, PollError> {
  const { pollId, at } = command.data;
  switch (command.type) {
    case 'OpenPoll': {
      if (state.status !== 'none') return reject({ code: 'poll_exists', pollId });
      const { title, options } = command.data;
      return accept({ type: 'PollOpened', data: { pollId, title, options, openedAt: at } });
    }
    case 'ClosePoll':
      if (state.status === 'none') return reject({ code: 'poll_not_found', pollId });
      if (state.status === 'closed') return accept();
      return accept({ type: 'PollClosed', data: { pollId, closedAt: at } });
    default:
      return assertNever(command);
  }
}

function castVote(
  command: CastVote,
  { poll, ballot }: VotingState,
): Decision<BallotEvent, BallotError> {
  const { pollId, voterId, optionId, at } = command.data;
  if (poll.status === 'none') return reject({ code: 'poll_not_found', pollId });
  if (!hasOption(poll, optionId)) return reject({ code: 'option_not_found', pollId, optionId });
  if (poll.status === 'closed') return reject({ code: 'poll_closed', pollId });
  if (ballot.optionId === optionId) return accept();
  const previousOptionId = ballot.optionId;
  return accept({
    type: 'Voted',
    data: { pollId, voterId, optionId, previousOptionId, votedAt: at },
  });
}

function retractVote(
  command: RetractVote,
  { poll, ballot }: VotingState,
): Decision<BallotEvent, BallotError> {
  const { pollId, voterId, at } = command.data;
  if (poll.status === 'none') return reject({ code: 'poll_not_found', pollId });
  if (poll.status === 'closed') return reject({ code: 'poll_closed', pollId });
  if (ballot.optionId === null) return accept();
  const optionId = ballot.optionId;
  return accept({
    type: 'VoteRetracted',
    data: { pollId, voterId, optionId, retractedAt: at },
  });
}

export function decideBallot(
  command: BallotCommand,
  state: VotingState,
): Decision<BallotEvent, BallotError> {
  switch (command.type) {
    case 'CastVote':
      return castVote(command, state);
    case 'RetractVote':
      return retractVote(command, state);
    default:
      return assertNever(command);
  }
}

export const pollDecider: Decider<PollCommand, PollEvent, PollState, PollError> = {
  decide: decidePoll,
  evolve: evolvePoll,
  initialState: initialPollState,
};

/** Load with `foldState(ballotDecider, [...pollEvents, ...ballotEvents])`. */
export const ballotDecider: Decider<
  BallotCommand,
  BallotEvent,
  VotingState,
  BallotError,
  PollEvent | BallotEvent
> = { decide: decideBallot, evolve: evolveVoting, initialState: initialVotingState };
