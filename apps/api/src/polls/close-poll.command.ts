import { CommandHandler, Command, type ICommandHandler } from '@nestjs/cqrs';
import {
  CommandPipeline,
  bindCommand,
  type BoundCommand,
  type CommandOutcome,
  type Delivered,
} from '@tally/commands';
import {
  pollDecider,
  pollStreamId,
  type PollError,
  type PollEvent,
  type PollState,
} from '@tally/domain';
import type { HttpReply } from '../http/error-codes';
import { renderOutcome } from '../http/render-outcome';
import type { CommandContext } from '../shared/command-context';

export interface ClosePollInput {
  pollId: string;
}

export class ClosePollCommand extends Command<Delivered<HttpReply>> {
  constructor(
    readonly input: ClosePollInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** Closing a closed poll is accepted and appends nothing. */
export function closePoll(
  input: ClosePollInput,
  context: CommandContext,
): BoundCommand<PollState, PollEvent, PollError, undefined> {
  return bindCommand({
    name: 'close-poll',
    streamId: pollStreamId(input.pollId),
    decider: pollDecider,
    command: { type: 'ClosePoll', data: { pollId: input.pollId, at: context.metadata.time } },
    ...context,
  });
}

export const renderClosePoll =
  (input: ClosePollInput) =>
  (outcome: CommandOutcome<PollState, PollError>): HttpReply =>
    renderOutcome(outcome, ({ revision, position }) => ({
      status: 200,
      body: { pollId: input.pollId, closed: true, revision, position: position.toString() },
    }));

@CommandHandler(ClosePollCommand)
export class ClosePollHandler implements ICommandHandler<ClosePollCommand> {
  constructor(private readonly pipeline: CommandPipeline) {}

  execute({ input, context }: ClosePollCommand): Promise<Delivered<HttpReply>> {
    return this.pipeline.execute(closePoll(input, context), renderClosePoll(input));
  }
}
