import type { CommandSpec } from '@tally/commands';
import {
  decideInventory,
  inventoryDecider,
  itemStreamId,
  stockOf,
  type InventoryCommand,
  type InventoryError,
  type InventoryEvent,
  type ItemState,
} from '@tally/domain';
import type { CommandContext } from '../shared/command-context';
import { domainRejection } from '../shared/domain-rejection';

type InventorySpec = CommandSpec<ItemState, InventoryEvent, InventoryError>;

export interface ListItemInput {
  sku: string;
  name: string;
  stock: number;
}

export interface PurchaseItemInput {
  sku: string;
  customerId: string;
  quantity: number;
  purchaseId: string;
}

export interface RestockItemInput {
  sku: string;
  quantity: number;
}

export type { CommandContext };

function inventorySpec(
  name: string,
  command: InventoryCommand,
  context: CommandContext,
  accepted: InventorySpec['accepted'],
): InventorySpec {
  return {
    name,
    streamId: itemStreamId(command.data.sku),
    model: inventoryDecider,
    decide: (state) => decideInventory(command, state),
    accepted,
    rejected: domainRejection,
    metadata: context.metadata,
    idempotency: context.idempotency,
  };
}

export function listItem(input: ListItemInput, context: CommandContext): InventorySpec {
  const command: InventoryCommand = {
    type: 'ListItem',
    data: { ...input, at: context.metadata.time },
  };
  return inventorySpec('list-item', command, context, ({ revision, position }) => ({
    status: 201,
    body: {
      sku: input.sku,
      name: input.name,
      stock: input.stock,
      revision,
      position: position.toString(),
    },
  }));
}

export function purchaseItem(input: PurchaseItemInput, context: CommandContext): InventorySpec {
  const command: InventoryCommand = {
    type: 'Purchase',
    data: { ...input, at: context.metadata.time },
  };
  return inventorySpec('purchase-item', command, context, ({ after, revision, position }) => ({
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
}

export function restockItem(input: RestockItemInput, context: CommandContext): InventorySpec {
  const command: InventoryCommand = {
    type: 'Restock',
    data: { ...input, at: context.metadata.time },
  };
  return inventorySpec('restock-item', command, context, ({ after, revision, position }) => ({
    status: 200,
    body: { sku: input.sku, stock: stockOf(after), revision, position: position.toString() },
  }));
}
