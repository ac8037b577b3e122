import type { CommandSpec } from '@tally/commands';
import {
  currentOption,
  decideBallot,
  evolveBallot,
  ballotStreamId,
  initialBallotState,
  type BallotCommand,
  type BallotError,
  type BallotEvent,
  type BallotState,
  type PollState,
} from '@tally/domain';
import type { CommandContext } from '../shared/command-context';
import { domainRejection } from '../shared/domain-rejection';

type BallotSpec = CommandSpec<BallotState, BallotEvent, BallotError, PollState>;

export interface RetractVoteInput {
  pollId: string;
  voterId: string;
}

export interface CastVoteInput extends RetractVoteInput {
  optionId: string;
}

/**
 * The ballot stream is the command's stream (one per voter per poll, so voters never
 * contend); the poll is context, loaded by `loadPoll` before every decision attempt.
 */
function ballotSpec(
  name: string,
  command: BallotCommand,
  context: CommandContext,
  loadPoll: () => Promise<PollState>,
  accepted: BallotSpec['accepted'],
): BallotSpec {
  return {
    name,
    streamId: ballotStreamId(command.data.pollId, command.data.voterId),
    model: { initialState: initialBallotState, evolve: evolveBallot },
    loadContext: loadPoll,
    decide: (ballot, poll) => decideBallot(command, { poll, ballot }),
    accepted,
    rejected: domainRejection,
    metadata: context.metadata,
    idempotency: context.idempotency,
  };
}

/** Voting the option already held appends nothing: `changed: false`, previousOptionId = optionId. */
export function castVote(
  input: CastVoteInput,
  context: CommandContext,
  loadPoll: () => Promise<PollState>,
): BallotSpec {
  const command: BallotCommand = {
    type: 'CastVote',
    data: { ...input, at: context.metadata.time },
  };
  return ballotSpec(
    'cast-vote',
    command,
    context,
    loadPoll,
    ({ before, appended, revision, position }) => ({
      status: 200,
      body: {
        ...input,
        previousOptionId: currentOption(before),
        changed: appended > 0,
        revision,
        position: position.toString(),
      },
    }),
  );
}

/** Retracting without a vote appends nothing; with no ballot stream yet, revision is -1. */
export function retractVote(
  input: RetractVoteInput,
  context: CommandContext,
  loadPoll: () => Promise<PollState>,
): BallotSpec {
  const command: BallotCommand = {
    type: 'RetractVote',
    data: { ...input, at: context.metadata.time },
  };
  return ballotSpec(
    'retract-vote',
    command,
    context,
    loadPoll,
    ({ appended, revision, position }) => ({
      status: 200,
      body: { ...input, retracted: appended > 0, revision, position: position.toString() },
    }),
  );
}
