import { foldState, type Decision } from '../shared';
import type { InventoryCommand, Purchase } from './inventory.commands';
import type { InventoryEvent, ItemListed } from './inventory.events';
import {
  decideInventory,
  inventoryDecider,
  stockOf,
  type InventoryError,
  type ItemState,
} from './inventory.decider';

const at = '2025-03-01T10:00:00.000Z';
const listed = (stock: number): ItemListed => ({
  type: 'ItemListed',
  data: { sku: 'hot', name: 'Concert ticket', stock, listedAt: at },
});
const purchase = (n: number, quantity = 1): Purchase => ({
  type: 'Purchase',
  data: { purchaseId: `pur-${n}`, sku: 'hot', customerId: `c-${n}`, quantity, at },
});

/**
 * What the command pipeline does with the commands queued for one item (group commit): each
 * is decided against the state the commands accepted before it left, and the accepted events
 * all go out in one append.
 */
function decideOneAfterAnother(commands: readonly InventoryCommand[], loaded: ItemState) {
  const decisions: Decision<InventoryEvent, InventoryError>[] = [];
  const events: InventoryEvent[] = [];
  let state = loaded;
  for (const command of commands) {
    const decision = decideInventory(command, state);
    decisions.push(decision);
    if (decision.ok) {
      events.push(...decision.events);
      state = decision.events.reduce(inventoryDecider.evolve, state);
    }
  }
  return { decisions, events, state };
}

describe('deciding a batch of queued commands against one loaded state', () => {
  it('when 300 customers buy one of 100 → sells exactly 100 and refuses the other 200', () => {
    const loaded = foldState(inventoryDecider, [listed(100)]);
    const commands = Array.from({ length: 300 }, (_, n) => purchase(n));

    const { decisions, events, state } = decideOneAfterAnother(commands, loaded);

    expect(decisions.filter((d) => d.ok)).toHaveLength(100);
    expect(decisions.slice(100)).toEqual(
      Array.from({ length: 200 }, () => ({
        ok: false,
        error: { code: 'out_of_stock', sku: 'hot', requested: 1, available: 0 },
      })),
    );
    expect(events.map((e) => (e.type === 'Purchased' ? e.data.remainingStock : -1))).toEqual(
      Array.from({ length: 100 }, (_, n) => 99 - n),
    );
    expect(stockOf(state)).toBe(0);
    expect(stockOf(foldState(inventoryDecider, [listed(100), ...events]))).toBe(0);
  });

  it('when a large order no longer fits → refuses it but still serves smaller ones after', () => {
    const loaded = foldState(inventoryDecider, [listed(5)]);

    const { decisions, state } = decideOneAfterAnother(
      [purchase(1, 3), purchase(2, 3), purchase(3, 2)],
      loaded,
    );

    expect(decisions.map((d) => (d.ok ? 'sold' : d.error))).toEqual([
      'sold',
      { code: 'out_of_stock', sku: 'hot', requested: 3, available: 2 },
      'sold',
    ]);
    expect(stockOf(state)).toBe(0);
  });

  it('when a restock is queued between purchases → later purchases see it, none is lost', () => {
    const commands: InventoryCommand[] = [
      purchase(1, 2),
      purchase(2, 1),
      { type: 'Restock', data: { sku: 'hot', quantity: 10, at } },
      purchase(3, 1),
    ];

    const { decisions, events, state } = decideOneAfterAnother(
      commands,
      foldState(inventoryDecider, [listed(2)]),
    );

    expect(decisions.map((d) => d.ok)).toEqual([true, false, true, true]);
    expect(events.map((e) => e.type)).toEqual(['Purchased', 'Restocked', 'Purchased']);
    expect(stockOf(state)).toBe(9);
  });

  it('when the item is not listed → refuses every command and records nothing', () => {
    const { decisions, events } = decideOneAfterAnother(
      [purchase(1), purchase(2)],
      inventoryDecider.initialState,
    );

    expect(decisions).toEqual([
      { ok: false, error: { code: 'item_not_found', sku: 'hot' } },
      { ok: false, error: { code: 'item_not_found', sku: 'hot' } },
    ]);
    expect(events).toEqual([]);
  });
});
