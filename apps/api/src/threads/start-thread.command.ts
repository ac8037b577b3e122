import { CommandHandler, Command, type ICommandHandler } from '@nestjs/cqrs';
import {
  CommandPipeline,
  bindCommand,
  type BoundCommand,
  type CommandOutcome,
  type Delivered,
} from '@tally/commands';
import {
  threadDecider,
  threadStreamId,
  type ThreadError,
  type ThreadEvent,
  type ThreadState,
} from '@tally/domain';
import type { HttpReply } from '../http/error-codes';
import { renderOutcome } from '../http/render-outcome';
import type { CommandContext } from '../shared/command-context';

export interface StartThreadInput {
  threadId: string;
  title: string;
}

export class StartThreadCommand extends Command<Delivered<HttpReply>> {
  constructor(
    readonly input: StartThreadInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

export function startThread(
  input: StartThreadInput,
  context: CommandContext,
): BoundCommand<ThreadState, ThreadEvent, ThreadError, undefined> {
  return bindCommand({
    name: 'start-thread',
    streamId: threadStreamId(input.threadId),
    decider: threadDecider,
    command: { type: 'StartThread', data: { ...input, at: context.metadata.time } },
    ...context,
  });
}

export const renderStartThread =
  (input: StartThreadInput) =>
  (outcome: CommandOutcome<ThreadState, ThreadError>): HttpReply =>
    renderOutcome(outcome, ({ revision, position }) => ({
      status: 201,
      body: {
        threadId: input.threadId,
        title: input.title,
        revision,
        position: position.toString(),
      },
    }));

@CommandHandler(StartThreadCommand)
export class StartThreadHandler implements ICommandHandler<StartThreadCommand> {
  constructor(private readonly pipeline: CommandPipeline) {}

  execute({ input, context }: StartThreadCommand): Promise<Delivered<HttpReply>> {
    return this.pipeline.execute(startThread(input, context), renderStartThread(input));
  }
}
