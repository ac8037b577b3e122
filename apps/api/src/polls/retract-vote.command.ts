import { CommandHandler, Command, type ICommandHandler } from '@nestjs/cqrs';
import {
  CommandPipeline,
  bindCommand,
  type BoundCommand,
  type CommandOutcome,
  type Delivered,
} from '@tally/commands';
import {
  ballotStreamId,
  type BallotError,
  type BallotEvent,
  type BallotState,
  type PollState,
} from '@tally/domain';
import type { HttpReply } from '../http/error-codes';
import { renderOutcome } from '../http/render-outcome';
import type { CommandContext } from '../shared/command-context';
import { ballotStream, pollContext } from './ballot-stream';

export interface RetractVoteInput {
  pollId: string;
  voterId: string;
}

export class RetractVoteCommand extends Command<Delivered<HttpReply>> {
  constructor(
    readonly input: RetractVoteInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

export function retractVote(
  input: RetractVoteInput,
  context: CommandContext,
): BoundCommand<BallotState, BallotEvent, BallotError, PollState> {
  return bindCommand({
    name: 'retract-vote',
    streamId: ballotStreamId(input.pollId, input.voterId),
    decider: ballotStream,
    command: { type: 'RetractVote', data: { ...input, at: context.metadata.time } },
    context: pollContext(input.pollId),
    ...context,
  });
}

/** Retracting without a vote appends nothing; with no ballot stream yet, revision is -1. */
export const renderRetractVote =
  (input: RetractVoteInput) =>
  (outcome: CommandOutcome<BallotState, BallotError>): HttpReply =>
    renderOutcome(outcome, ({ appended, revision, position }) => ({
      status: 200,
      body: { ...input, retracted: appended > 0, revision, position: position.toString() },
    }));

@CommandHandler(RetractVoteCommand)
export class RetractVoteHandler implements ICommandHandler<RetractVoteCommand> {
  constructor(private readonly pipeline: CommandPipeline) {}

  execute({ input, context }: RetractVoteCommand): Promise<Delivered<HttpReply>> {
    return this.pipeline.execute(retractVote(input, context), renderRetractVote(input));
  }
}
