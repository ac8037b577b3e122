import type { InventoryEvent } from '@tally/domain';
import type { FoldEvent } from '@tally/event-store';

export interface ItemDelta {
  sku: string;
  /** Set when the batch holds the item's ItemListed. */
  name: string | null;
  /** The stock after the item's latest event in the batch, and that event's stream revision. */
  stock: number;
  stockRevision: number;
  /** Quantity purchased in the batch. */
  sold: number;
}

/**
 * Aggregates a batch in memory: per SKU, the purchased quantities add up, and the stock is
 * the resulting stock carried by the event of highest stream revision (never a sum).
 */
export function foldInventory(events: readonly FoldEvent[]): ItemDelta[] {
  const items = new Map<string, ItemDelta>();
  const observe = (sku: string, stock: number, revision: number): ItemDelta => {
    let d = items.get(sku);
    if (!d) {
      d = { sku, name: null, stock, stockRevision: revision, sold: 0 };
      items.set(sku, d);
    } else if (revision > d.stockRevision) {
      d.stock = stock;
      d.stockRevision = revision;
    }
    return d;
  };
  for (const recorded of events) {
    const event = { type: recorded.type, data: recorded.data } as InventoryEvent;
    switch (event.type) {
      case 'ItemListed':
        observe(event.data.sku, event.data.stock, recorded.revision).name = event.data.name;
        break;
      case 'Purchased':
        observe(event.data.sku, event.data.remainingStock, recorded.revision).sold +=
          event.data.quantity;
        break;
      case 'Restocked':
        observe(event.data.sku, event.data.stock, recorded.revision);
        break;
      default:
        break;
    }
  }
  return [...items.values()];
}
