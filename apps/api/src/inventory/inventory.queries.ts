import { readAtCheckpoint } from '@tally/projections';
import { inventoryProjection } from '@tally/read-models/inventory';
import type { Pool } from 'pg';

const t = inventoryProjection.tables;

/** The projection the item reads come from, for read-your-writes. */
export const INVENTORY_PROJECTION = inventoryProjection.name;

export interface ItemView {
  sku: string;
  name: string;
  stock: number;
  sold: number;
  position: string;
}

/** The item as the inventory projection holds it; undefined until it was listed. */
export async function readItem(pool: Pool, sku: string): Promise<ItemView | undefined> {
  const { rows, position } = await readAtCheckpoint<{ name: string; stock: string; sold: string }>(
    pool,
    INVENTORY_PROJECTION,
    `SELECT name, stock, sold FROM ${t.items} WHERE sku = $2 AND listed`,
    [sku],
  );
  const row = rows[0];
  if (!row) return undefined;
  return { sku, name: row.name, stock: Number(row.stock), sold: Number(row.sold), position };
}
