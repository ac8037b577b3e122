import type { TableNames } from '@tally/projections';

export type InventoryTable = 'items';
export type InventoryTables = TableNames<InventoryTable>;

export const inventoryTables: InventoryTables = {
  items: 'proj_items',
};

/**
 * `stock` is the stock the item's stream reported at `stock_revision` and is only
 * overwritten by a later revision; `sold` adds up purchased quantities. Columns default so
 * that upserts work in any order (`listed` turns true with the ItemListed).
 */
export const createInventoryTables = (t: InventoryTables): string => `
CREATE TABLE ${t.items} (
  sku            text PRIMARY KEY,
  name           text NOT NULL DEFAULT '',
  listed         boolean NOT NULL DEFAULT false,
  stock          bigint NOT NULL DEFAULT 0,
  stock_revision bigint NOT NULL DEFAULT -1,
  sold           bigint NOT NULL DEFAULT 0
);`;
