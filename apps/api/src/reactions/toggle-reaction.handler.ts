import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandPipeline, type DeliveredReply } from '@tally/commands';
import { toggleReaction } from './reactions.commands';
import { ToggleReactionCommand } from './toggle-reaction.command';

@CommandHandler(ToggleReactionCommand)
export class ToggleReactionHandler implements ICommandHandler<ToggleReactionCommand> {
  constructor(private readonly pipeline: CommandPipeline) {}

  execute({ input, context, expectedRevision }: ToggleReactionCommand): Promise<DeliveredReply> {
    return this.pipeline.execute(toggleReaction(input, context, expectedRevision));
  }
}
