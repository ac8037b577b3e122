import type { StreamDecider } from '@tally/commands';
import {
  decideBallot,
  evolveBallot,
  initialBallotState,
  type BallotCommand,
  type BallotError,
  type BallotEvent,
  type BallotState,
  type PollState,
} from '@tally/domain';

/**
 * The ballot stream is the command's stream (one per voter per poll, so voters never
 * contend); the poll is context, read before every decision attempt (see `readPoll`).
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
