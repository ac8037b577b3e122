import { specification } from '../shared/specification.spec';
import type { ItemListed, Purchased, Restocked } from './inventory.events';
import { inventoryDecider } from './inventory.decider';
import { itemStreamId } from './inventory.streams';

const at = '2025-03-01T10:00:00.000Z';
const listed: ItemListed = {
  type: 'ItemListed',
  data: { sku: 'sku-1', name: 'Mug', stock: 5, listedAt: at },
};
const purchase = (quantity: number, purchaseId = 'pur-1') =>
  ({
    type: 'Purchase',
    data: { purchaseId, sku: 'sku-1', customerId: 'c-1', quantity, at },
  }) as const;
const purchased = (quantity: number, remainingStock: number): Purchased => ({
  type: 'Purchased',
  data: {
    purchaseId: 'pur-1',
    sku: 'sku-1',
    customerId: 'c-1',
    quantity,
    remainingStock,
    purchasedAt: at,
  },
});
const restock = (quantity: number) =>
  ({ type: 'Restock', data: { sku: 'sku-1', quantity, at } }) as const;
const restocked = (quantity: number, stock: number): Restocked => ({
  type: 'Restocked',
  data: { sku: 'sku-1', quantity, stock, restockedAt: at },
});

const spec = specification(inventoryDecider);

describe('listing an item', () => {
  it('when the sku is new → lists it with its opening stock', () => {
    spec
      .given([])
      .when({ type: 'ListItem', data: { sku: 'sku-1', name: 'Mug', stock: 5, at } })
      .then([listed]);
  });

  it('when the sku is already listed → refuses with item_exists', () => {
    spec
      .given([listed])
      .when({ type: 'ListItem', data: { sku: 'sku-1', name: 'Cup', stock: 9, at } })
      .thenRejects({ code: 'item_exists', sku: 'sku-1' });
  });
});

describe('purchasing', () => {
  it('when there is enough stock → sells it and records what remains', () => {
    spec
      .given([listed])
      .when(purchase(2))
      .then([purchased(2, 3)]);
  });

  it('when the purchase takes the last units → sells them, leaving zero', () => {
    spec
      .given([listed, purchased(2, 3)])
      .when(purchase(3))
      .then([purchased(3, 0)]);
  });

  it('when the item is sold out → refuses the purchase with out_of_stock and 0 available', () => {
    spec
      .given([listed, purchased(5, 0)])
      .when(purchase(1))
      .thenRejects({ code: 'out_of_stock', sku: 'sku-1', requested: 1, available: 0 });
  });

  it('when more is asked than is left → refuses, telling how many are available', () => {
    spec.given([listed]).when(purchase(6)).thenRejects({ code: 'out_of_stock', available: 5 });
  });

  it('when the item is not listed → refuses with item_not_found', () => {
    spec.given([]).when(purchase(1)).thenRejects({ code: 'item_not_found', sku: 'sku-1' });
  });

  it('when a restock came in after selling out → sells from the new stock', () => {
    spec
      .given([listed, purchased(5, 0), restocked(4, 4)])
      .when(purchase(4))
      .then([purchased(4, 0)]);
  });
});

describe('restocking', () => {
  it('when the item is listed → adds to its stock, recording the new total', () => {
    spec
      .given([listed, purchased(2, 3)])
      .when(restock(10))
      .then([restocked(10, 13)]);
  });

  it('when the item is not listed → refuses with item_not_found', () => {
    spec.given([]).when(restock(10)).thenRejects('item_not_found');
  });
});

describe('item stream ids', () => {
  it('are the category and the sku', () => {
    expect(itemStreamId('SKU-1.a:b')).toBe('item-SKU-1.a:b');
  });
});
