import { CommandHandler, Command, type ICommandHandler } from '@nestjs/cqrs';
import {
  CommandPipeline,
  bindCommand,
  type BoundCommand,
  type CommandOutcome,
  type Delivered,
} from '@tally/commands';
import {
  inventoryDecider,
  itemStreamId,
  stockOf,
  type InventoryError,
  type InventoryEvent,
  type ItemState,
} from '@tally/domain';
import type { HttpReply } from '../http/error-codes';
import { renderOutcome } from '../http/render-outcome';
import type { CommandContext } from '../shared/command-context';

export interface PurchaseItemInput {
  sku: string;
  customerId: string;
  quantity: number;
  purchaseId: string;
}

export class PurchaseItemCommand extends Command<Delivered<HttpReply>> {
  constructor(
    readonly input: PurchaseItemInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** Purchases of one SKU queued in the process are decided against one state, appended together. */
export function purchaseItem(
  input: PurchaseItemInput,
  context: CommandContext,
): BoundCommand<ItemState, InventoryEvent, InventoryError, undefined> {
  return bindCommand({
    name: 'purchase-item',
    streamId: itemStreamId(input.sku),
    decider: inventoryDecider,
    command: { type: 'Purchase', data: { ...input, at: context.metadata.time } },
    ...context,
  });
}

export const renderPurchaseItem =
  (input: PurchaseItemInput) =>
  (outcome: CommandOutcome<ItemState, InventoryError>): HttpReply =>
    renderOutcome(outcome, ({ after, revision, position }) => ({
      status: 201,
      body: {
        purchaseId: input.purchaseId,
        sku: input.sku,
        quantity: input.quantity,
        remainingStock: stockOf(after),
        revision,
        position: position.toString(),
      },
    }));

@CommandHandler(PurchaseItemCommand)
export class PurchaseItemHandler implements ICommandHandler<PurchaseItemCommand> {
  constructor(private readonly pipeline: CommandPipeline) {}

  execute({ input, context }: PurchaseItemCommand): Promise<Delivered<HttpReply>> {
    return this.pipeline.execute(purchaseItem(input, context), renderPurchaseItem(input));
  }
}
