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

export interface RestockItemInput {
  sku: string;
  quantity: number;
}

export class RestockItemCommand extends Command<Delivered<HttpReply>> {
  constructor(
    readonly input: RestockItemInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

export function restockItem(
  input: RestockItemInput,
  context: CommandContext,
): BoundCommand<ItemState, InventoryEvent, InventoryError, undefined> {
  return bindCommand({
    name: 'restock-item',
    streamId: itemStreamId(input.sku),
    decider: inventoryDecider,
    command: { type: 'Restock', data: { ...input, at: context.metadata.time } },
    ...context,
  });
}

export const renderRestockItem =
  (input: RestockItemInput) =>
  (outcome: CommandOutcome<ItemState, InventoryError>): HttpReply =>
    renderOutcome(outcome, ({ after, revision, position }) => ({
      status: 200,
      body: { sku: input.sku, stock: stockOf(after), revision, position: position.toString() },
    }));

@CommandHandler(RestockItemCommand)
export class RestockItemHandler implements ICommandHandler<RestockItemCommand> {
  constructor(private readonly pipeline: CommandPipeline) {}

  execute({ input, context }: RestockItemCommand): Promise<Delivered<HttpReply>> {
    return this.pipeline.execute(restockItem(input, context), renderRestockItem(input));
  }
}
