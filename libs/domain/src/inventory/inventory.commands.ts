import type { DomainCommand, Timestamp } from '../shared';

export type ListItem = DomainCommand<
  'ListItem',
  { sku: string; name: string; stock: number; at: Timestamp }
>;

export type Purchase = DomainCommand<
  'Purchase',
  { purchaseId: string; sku: string; customerId: string; quantity: number; at: Timestamp }
>;

export type Restock = DomainCommand<'Restock', { sku: string; quantity: number; at: Timestamp }>;

export type InventoryCommand = ListItem | Purchase | Restock;
