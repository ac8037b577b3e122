import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandPipeline, type DeliveredReply } from '@tally/commands';
import { restockItem } from './inventory.commands';
import { RestockItemCommand } from './restock-item.command';

@CommandHandler(RestockItemCommand)
export class RestockItemHandler implements ICommandHandler<RestockItemCommand> {
  constructor(private readonly pipeline: CommandPipeline) {}

  execute({ input, context }: RestockItemCommand): Promise<DeliveredReply> {
    return this.pipeline.execute(restockItem(input, context));
  }
}
