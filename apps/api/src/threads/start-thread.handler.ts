import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandPipeline, type DeliveredReply } from '@tally/commands';
import { StartThreadCommand } from './start-thread.command';
import { startThread } from './threads.commands';

@CommandHandler(StartThreadCommand)
export class StartThreadHandler implements ICommandHandler<StartThreadCommand> {
  constructor(private readonly pipeline: CommandPipeline) {}

  execute({ input, context }: StartThreadCommand): Promise<DeliveredReply> {
    return this.pipeline.execute(startThread(input, context));
  }
}
