import { domainEventProblem } from '@tally/domain';
import type { Projection } from '@tally/projections';
import { foldInventory } from './inventory.fold';
import { createInventoryTables, inventoryTables, type InventoryTable } from './inventory.tables';

interface ItemRow {
  sku: string;
  name: string;
  listed: boolean;
  stock: string;
  sold: string;
}

export const inventoryProjection: Projection<InventoryTable> = {
  name: 'inventory',
  eventTypes: ['ItemListed', 'Purchased', 'Restocked'],
  eventProblem: domainEventProblem,
  tables: inventoryTables,
  createTables: createInventoryTables,
  async apply(db, events, tables) {
    const items = foldInventory(events);
    if (items.length === 0) return [];
    // Stock is set (not subtracted) and only from a later stream revision, so a stale or
    // repeated event can never move it back; sold adds the batch's purchases.
    const { rows } = await db.query<ItemRow>(
      `INSERT INTO ${tables.items} AS i (sku, name, listed, stock, stock_revision, sold)
       SELECT sku, coalesce(name, ''), name IS NOT NULL, stock, rev, sold
         FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[])
           AS u(sku, name, stock, rev, sold)
       ON CONFLICT (sku) DO UPDATE SET
         name = CASE WHEN EXCLUDED.listed THEN EXCLUDED.name ELSE i.name END,
         listed = i.listed OR EXCLUDED.listed,
         stock = CASE WHEN EXCLUDED.stock_revision > i.stock_revision
                      THEN EXCLUDED.stock ELSE i.stock END,
         stock_revision = GREATEST(i.stock_revision, EXCLUDED.stock_revision),
         sold = i.sold + EXCLUDED.sold
       RETURNING sku, name, listed, stock, sold`,
      [
        items.map((d) => d.sku),
        items.map((d) => d.name),
        items.map((d) => d.stock),
        items.map((d) => d.stockRevision),
        items.map((d) => d.sold),
      ],
    );
    return rows.map((row) => ({
      key: row.sku,
      value: {
        sku: row.sku,
        name: row.name,
        listed: row.listed,
        stock: Number(row.stock),
        sold: Number(row.sold),
      },
    }));
  },
};
