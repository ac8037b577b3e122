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
  type InventoryError,
  type InventoryEvent,
  type ItemState,
} from '@tally/domain';
import type { HttpReply } from '../http/error-codes';
import { renderOutcome } from '../http/render-outcome';
import type { CommandContext } from '../shared/command-context';

export interface ListItemInput {
  sku: string;
  name: string;
  stock: number;
}

export class ListItemCommand extends Command<Delivered<HttpReply>> {
  constructor(
    readonly input: ListItemInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

export function listItem(
  input: ListItemInput,
  context: CommandContext,
): BoundCommand<ItemState, InventoryEvent, InventoryError, undefined> {
  return bindCommand({
    name: 'list-item',
    streamId: itemStreamId(input.sku),
    decider: inventoryDecider,
    command: { type: 'ListItem', data: { ...input, at: context.metadata.time } },
    ...context,
  });
}

export const renderListItem =
  (input: ListItemInput) =>
  (outcome: CommandOutcome<ItemState, InventoryError>): HttpReply =>
    renderOutcome(outcome, ({ revision, position }) => ({
      status: 201,
      body: {
        sku: input.sku,
        name: input.name,
        stock: input.stock,
        revision,
        position: position.toString(),
      },
    }));

@CommandHandler(ListItemCommand)
export class ListItemHandler implements ICommandHandler<ListItemCommand> {
  constructor(private readonly pipeline: CommandPipeline) {}

  execute({ input, context }: ListItemCommand): Promise<Delivered<HttpReply>> {
    return this.pipeline.execute(listItem(input, context), renderListItem(input));
  }
}
