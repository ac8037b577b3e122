import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandPipeline, type DeliveredReply } from '@tally/commands';
import { OpenPollCommand } from './open-poll.command';
import { openPoll } from './polls.commands';

@CommandHandler(OpenPollCommand)
export class OpenPollHandler implements ICommandHandler<OpenPollCommand> {
  constructor(private readonly pipeline: CommandPipeline) {}

  execute({ input, context }: OpenPollCommand): Promise<DeliveredReply> {
    return this.pipeline.execute(openPoll(input, context));
  }
}
