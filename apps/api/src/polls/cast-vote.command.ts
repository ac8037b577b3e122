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
  currentOption,
  type BallotError,
  type BallotEvent,
  type BallotState,
  type PollState,
} from '@tally/domain';
import type { HttpReply } from '../http/error-codes';
import { renderOutcome } from '../http/render-outcome';
import type { CommandContext } from '../shared/command-context';
import { ballotStream, pollContext } from './ballot-stream';

export interface CastVoteInput {
  pollId: string;
  voterId: string;
  optionId: string;
}

export class CastVoteCommand extends Command<Delivered<HttpReply>> {
  constructor(
    readonly input: CastVoteInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** The voter's ballot stream, decided against its poll (context: see `pollContext`). */
export function castVote(
  input: CastVoteInput,
  context: CommandContext,
): BoundCommand<BallotState, BallotEvent, BallotError, PollState> {
  return bindCommand({
    name: 'cast-vote',
    streamId: ballotStreamId(input.pollId, input.voterId),
    decider: ballotStream,
    command: { type: 'CastVote', data: { ...input, at: context.metadata.time } },
    context: pollContext(input.pollId),
    ...context,
  });
}

/** Voting the option already held appends nothing: `changed: false`, previousOptionId = optionId. */
export const renderCastVote =
  (input: CastVoteInput) =>
  (outcome: CommandOutcome<BallotState, BallotError>): HttpReply =>
    renderOutcome(outcome, ({ before, appended, revision, position }) => ({
      status: 200,
      body: {
        ...input,
        previousOptionId: currentOption(before),
        changed: appended > 0,
        revision,
        position: position.toString(),
      },
    }));

@CommandHandler(CastVoteCommand)
export class CastVoteHandler implements ICommandHandler<CastVoteCommand> {
  constructor(private readonly pipeline: CommandPipeline) {}

  execute({ input, context }: CastVoteCommand): Promise<Delivered<HttpReply>> {
    return this.pipeline.execute(castVote(input, context), renderCastVote(input));
  }
}
