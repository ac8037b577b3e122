import type { ContextStream, StreamDecider } from '@tally/commands';
import {
  decideBallot,
  evolveBallot,
  initialBallotState,
  pollDecider,
  pollStreamId,
  type BallotCommand,
  type BallotError,
  type BallotEvent,
  type BallotState,
  type PollEvent,
  type PollState,
} from '@tally/domain';

/**
 * The ballot stream is the command's stream (one per voter per poll, so voters never
 * contend); the poll is context (`pollContext`): a vote is appended on condition that the
 * poll is still as the decision saw it, so no vote can follow the poll's close in the log.
 */
export const ballotStream: StreamDecider<
  BallotCommand,
  BallotState,
  BallotEvent,
  BallotError,
  PollState
> = {
  initialState: initialBallotState,
  evolve: evolveBallot,
  decide: (command, ballot, poll) => decideBallot(command, { poll, ballot }),
};

/** The poll a ballot is decided against, folded as the poll's own commands fold it. */
export const pollContext = (pollId: string): ContextStream<PollState, PollEvent> => ({
  streamId: pollStreamId(pollId),
  initialState: pollDecider.initialState,
  evolve: pollDecider.evolve,
});
