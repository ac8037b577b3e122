import { createPool } from '@tally/infra';
import type { Pool } from 'pg';
import type { PurchaseOutcome, SkuCheck, SkuLoad, SkuSession, SkuSystem } from './system';

async function setupItems(url: string, load: SkuLoad): Promise<void> {
  const pool = createPool(url, 1);
  try {
    // No CHECK (stock >= 0): an oversell must show up in the check, not as an error.
    await pool.query('CREATE TABLE items (sku text PRIMARY KEY, stock bigint NOT NULL)');
    await pool.query(
      'INSERT INTO items (sku, stock) SELECT * FROM unnest($1::text[], $2::bigint[])',
      [load.items.map((i) => i.sku), load.items.map((i) => i.stock)],
    );
  } finally {
    await pool.end();
  }
}

function itemsSession(
  pool: Pool,
  load: SkuLoad,
  purchase: (sku: string) => Promise<PurchaseOutcome>,
): SkuSession {
  let acknowledged = 0;
  return {
    pool,
    async purchase(sku) {
      const outcome = await purchase(sku);
      if (outcome === 'sold') acknowledged++;
      return outcome;
    },
    async check(): Promise<SkuCheck> {
      const { rows } = await pool.query<{ left: string; below: string }>(
        'SELECT sum(stock)::text AS left, coalesce(sum(-stock) FILTER (WHERE stock < 0), 0)::text AS below FROM items',
      );
      const listed = load.items.reduce((sum, i) => sum + i.stock, 0);
      const sold = listed - Number(rows[0]?.left ?? 0);
      const oversold = Number(rows[0]?.below ?? 0);
      const problems = [
        sold !== acknowledged
          ? `${acknowledged} purchases acknowledged, stock fell by ${sold}`
          : '',
        oversold > 0 ? `oversold by ${oversold}` : '',
      ].filter(Boolean);
      return {
        acknowledged,
        sold,
        oversold,
        lost: Math.max(0, acknowledged - sold),
        problems,
        lagP50Ms: null,
        lagP99Ms: null,
        lagSamples: 0,
        perTransaction: null,
      };
    },
    close: () => pool.end(),
  };
}

/** The row-lock fix: lock the item, check the stock, decrement, commit. */
export const forUpdateItems: SkuSystem = {
  name: 'for-update',
  description:
    'items table: BEGIN; SELECT stock … FOR UPDATE; stock ≥ 1 or out_of_stock; UPDATE … SET stock = stock − 1; COMMIT (no event log)',
  setup: setupItems,
  open(url, poolSize, load) {
    const pool = createPool(url, poolSize);
    return Promise.resolve(
      itemsSession(pool, load, async (sku) => {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const { rows } = await client.query<{ stock: string }>({
            name: 'item_lock',
            text: 'SELECT stock FROM items WHERE sku = $1 FOR UPDATE',
            values: [sku],
          });
          if (Number(rows[0]?.stock ?? 0) < 1) {
            await client.query('ROLLBACK');
            return 'out_of_stock';
          }
          await client.query({
            name: 'item_decrement',
            text: 'UPDATE items SET stock = stock - 1 WHERE sku = $1',
            values: [sku],
          });
          await client.query('COMMIT');
          return 'sold';
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        } finally {
          client.release();
        }
      }),
    );
  },
};

/** The atomic fix for stock: one conditional UPDATE, no explicit transaction. */
export const atomicItems: SkuSystem = {
  name: 'atomic-update',
  description:
    'items table: UPDATE items SET stock = stock − 1 WHERE sku = … AND stock ≥ 1 (one autocommit statement; no row: out_of_stock)',
  setup: setupItems,
  open(url, poolSize, load) {
    const pool = createPool(url, poolSize);
    return Promise.resolve(
      itemsSession(pool, load, async (sku) => {
        const { rowCount } = await pool.query({
          name: 'item_take',
          text: 'UPDATE items SET stock = stock - 1 WHERE sku = $1 AND stock >= 1',
          values: [sku],
        });
        return rowCount === 1 ? 'sold' : 'out_of_stock';
      }),
    );
  },
};
