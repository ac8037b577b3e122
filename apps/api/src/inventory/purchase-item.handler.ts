import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandPipeline, type DeliveredReply } from '@tally/commands';
import { purchaseItem } from './inventory.commands';
import { PurchaseItemCommand } from './purchase-item.command';

@CommandHandler(PurchaseItemCommand)
export class PurchaseItemHandler implements ICommandHandler<PurchaseItemCommand> {
  constructor(private readonly pipeline: CommandPipeline) {}

  execute({ input, context }: PurchaseItemCommand): Promise<DeliveredReply> {
    return this.pipeline.execute(purchaseItem(input, context));
  }
}
