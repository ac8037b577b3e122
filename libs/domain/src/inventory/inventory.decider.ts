import type { Decider, Decision, DomainErrorOf } from '../shared';
import { accept, assertNever, reject } from '../shared';
import type { InventoryCommand, Purchase, Restock } from './inventory.commands';
import type { InventoryEvent } from './inventory.events';

export type ItemState =
  { status: 'none' } | { status: 'listed'; sku: string; name: string; stock: number };

export type InventoryError = DomainErrorOf<'item_exists' | 'item_not_found' | 'out_of_stock'>;

export const initialItemState: ItemState = Object.freeze({ status: 'none' });

export const stockOf = (state: ItemState): number => (state.status === 'listed' ? state.stock : 0);

export function evolveItem(state: ItemState, event: InventoryEvent): ItemState {
  switch (event.type) {
    case 'ItemListed': {
      const { sku, name, stock } = event.data;
      return { status: 'listed', sku, name, stock };
    }
    case 'Purchased':
      return state.status === 'none' ? state : { ...state, stock: event.data.remainingStock };
    case 'Restocked':
      return state.status === 'none' ? state : { ...state, stock: event.data.stock };
    default:
      return assertNever(event);
  }
}

function purchase(command: Purchase, state: ItemState): Decision<InventoryEvent, InventoryError> {
  const { purchaseId, sku, customerId, quantity, at } = command.data;
  if (state.status === 'none') return reject({ code: 'item_not_found', sku });
  if (quantity > state.stock) {
    return reject({ code: 'out_of_stock', sku, requested: quantity, available: state.stock });
  }
  return accept({
    type: 'Purchased',
    data: {
      purchaseId,
      sku,
      customerId,
      quantity,
      remainingStock: state.stock - quantity,
      purchasedAt: at,
    },
  });
}

function restock(command: Restock, state: ItemState): Decision<InventoryEvent, InventoryError> {
  const { sku, quantity, at } = command.data;
  if (state.status === 'none') return reject({ code: 'item_not_found', sku });
  const stock = state.stock + quantity;
  return accept({ type: 'Restocked', data: { sku, quantity, stock, restockedAt: at } });
}

export function decideInventory(
  command: InventoryCommand,
  state: ItemState,
): Decision<InventoryEvent, InventoryError> {
  switch (command.type) {
    case 'ListItem': {
      const { sku, name, stock, at } = command.data;
      if (state.status !== 'none') return reject({ code: 'item_exists', sku });
      return accept({ type: 'ItemListed', data: { sku, name, stock, listedAt: at } });
    }
    case 'Purchase':
      return purchase(command, state);
    case 'Restock':
      return restock(command, state);
    default:
      return assertNever(command);
  }
}

export const inventoryDecider: Decider<
  InventoryCommand,
  InventoryEvent,
  ItemState,
  InventoryError
> = { decide: decideInventory, evolve: evolveItem, initialState: initialItemState };
