import type { DomainEvent, Timestamp } from '../shared';

export type ItemListed = DomainEvent<
  'ItemListed',
  { sku: string; name: string; stock: number; listedAt: Timestamp }
>;

/** `remainingStock` is the stock after this purchase: projections set it, never subtract. */
export type Purchased = DomainEvent<
  'Purchased',
  {
    purchaseId: string;
    sku: string;
    customerId: string;
    quantity: number;
    remainingStock: number;
    purchasedAt: Timestamp;
  }
>;

/** `stock` is the stock after this restock. */
export type Restocked = DomainEvent<
  'Restocked',
  { sku: string; quantity: number; stock: number; restockedAt: Timestamp }
>;

/** Events of the `item-{sku}` stream. */
export type InventoryEvent = ItemListed | Purchased | Restocked;
