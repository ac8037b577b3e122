import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandPipeline, type DeliveredReply } from '@tally/commands';
import { setReaction } from './reactions.commands';
import { SetReactionCommand } from './set-reaction.command';

@CommandHandler(SetReactionCommand)
export class SetReactionHandler implements ICommandHandler<SetReactionCommand> {
  constructor(private readonly pipeline: CommandPipeline) {}

  execute({ input, context }: SetReactionCommand): Promise<DeliveredReply> {
    return this.pipeline.execute(setReaction(input, context));
  }
}
