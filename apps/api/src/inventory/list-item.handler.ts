import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandPipeline, type DeliveredReply } from '@tally/commands';
import { listItem } from './inventory.commands';
import { ListItemCommand } from './list-item.command';

@CommandHandler(ListItemCommand)
export class ListItemHandler implements ICommandHandler<ListItemCommand> {
  constructor(private readonly pipeline: CommandPipeline) {}

  execute({ input, context }: ListItemCommand): Promise<DeliveredReply> {
    return this.pipeline.execute(listItem(input, context));
  }
}
