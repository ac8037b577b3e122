import type { InventoryEvent } from '@tally/domain';
import type { RecordedEvent } from '@tally/event-store';
import { foldInventory } from './inventory.fold';

const at = '2026-11-22T12:00:00.000Z';
let position = 0n;
const record = (event: InventoryEvent, revision: number): RecordedEvent => {
  position += 1n;
  return {
    ...event,
    id: `e${position}`,
    metadata: {},
    streamId: `item-${event.data.sku}`,
    revision,
    position,
    recordedAt: new Date(),
  };
};
const listed = (sku: string, stock: number, revision = 0): RecordedEvent =>
  record({ type: 'ItemListed', data: { sku, name: `Item ${sku}`, stock, listedAt: at } }, revision);
const purchased = (sku: string, quantity: number, remaining: number, revision: number) =>
  record(
    {
      type: 'Purchased',
      data: {
        purchaseId: `pu${revision}`,
        sku,
        customerId: 'c1',
        quantity,
        remainingStock: remaining,
        purchasedAt: at,
      },
    },
    revision,
  );
const restocked = (sku: string, quantity: number, stock: number, revision: number) =>
  record({ type: 'Restocked', data: { sku, quantity, stock, restockedAt: at } }, revision);

describe('foldInventory', () => {
  it('adds up purchases and takes the stock of the latest revision', () => {
    const items = foldInventory([
      listed('s1', 10),
      purchased('s1', 3, 7, 1),
      restocked('s1', 5, 12, 2),
      purchased('s1', 2, 10, 3),
      purchased('s2', 1, 4, 7),
    ]);
    expect(items).toEqual([
      { sku: 's1', name: 'Item s1', stock: 10, stockRevision: 3, sold: 5 },
      { sku: 's2', name: null, stock: 4, stockRevision: 7, sold: 1 },
    ]);
  });

  it('never lets an earlier revision delivered later move the stock back', () => {
    const [item] = foldInventory([restocked('s1', 5, 20, 4), purchased('s1', 1, 9, 2)]);
    expect(item).toMatchObject({ stock: 20, stockRevision: 4, sold: 1 });
  });

  it('does not count restocks as sold, and ignores other event types', () => {
    const other = { ...restocked('s9', 1, 1, 1), type: 'Voted' };
    expect(foldInventory([restocked('s1', 5, 5, 1), other])).toEqual([
      { sku: 's1', name: null, stock: 5, stockRevision: 1, sold: 0 },
    ]);
  });
});
