import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandPipeline, type DeliveredReply } from '@tally/commands';
import { ClosePollCommand } from './close-poll.command';
import { closePoll } from './polls.commands';

@CommandHandler(ClosePollCommand)
export class ClosePollHandler implements ICommandHandler<ClosePollCommand> {
  constructor(private readonly pipeline: CommandPipeline) {}

  execute({ input, context }: ClosePollCommand): Promise<DeliveredReply> {
    return this.pipeline.execute(closePoll(input, context));
  }
}
