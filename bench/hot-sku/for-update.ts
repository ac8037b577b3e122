import { createPool } from '@tally/infra';
import type { HotSkuSession, HotSkuSystem } from './system';
import { HOT_SKU, INITIAL_STOCK } from './system';

const QUANTITY = 1;

/** The classic lock fix on a plain table: lock the row, check the stock, decrement, commit. */
export const forUpdateSystem: HotSkuSystem = {
  name: 'for-update',
  description:
    'plain items table: BEGIN; SELECT stock … FOR UPDATE; check stock ≥ quantity; UPDATE stock = stock − 1; COMMIT (no event log)',

  connections: (writers) => writers,

  async setup(url) {
    const pool = createPool(url, 1);
    try {
      // No CHECK (stock >= 0): an oversell must show up in the check, not as an error.
      await pool.query('CREATE TABLE items (sku text PRIMARY KEY, stock bigint NOT NULL)');
      await pool.query('INSERT INTO items (sku, stock) VALUES ($1, $2)', [HOT_SKU, INITIAL_STOCK]);
    } finally {
      await pool.end();
    }
  },

  open(url, poolSize, counters) {
    const pool = createPool(url, poolSize);
    const session: HotSkuSession = {
      pool,
      purchaser() {
        return async () => {
          const client = await pool.connect();
          try {
            await client.query('BEGIN');
            const { rows } = await client.query<{ stock: string }>({
              name: 'hot_lock',
              text: 'SELECT stock FROM items WHERE sku = $1 FOR UPDATE',
              values: [HOT_SKU],
            });
            const stock = Number(rows[0]?.stock ?? 0);
            if (rows.length === 0 || stock < QUANTITY) {
              await client.query('ROLLBACK');
              counters.failures.add(rows.length === 0 ? 'item_not_found' : 'out_of_stock');
              return false;
            }
            await client.query({
              name: 'hot_decrement',
              text: 'UPDATE items SET stock = stock - $2 WHERE sku = $1',
              values: [HOT_SKU, QUANTITY],
            });
            await client.query('COMMIT');
            return true;
          } catch (error) {
            await client.query('ROLLBACK').catch(() => undefined);
            throw error;
          } finally {
            client.release();
          }
        };
      },
      async check() {
        const { rows } = await pool.query<{ stock: string }>(
          'SELECT stock FROM items WHERE sku = $1',
          [HOT_SKU],
        );
        const after = Number(rows[0]?.stock ?? Number.NaN);
        return {
          before: INITIAL_STOCK,
          after,
          recorded: INITIAL_STOCK - after,
          oversold: Math.max(0, -after),
          lostUpdates: 0,
          transactions: INITIAL_STOCK - after,
        };
      },
      close: () => pool.end(),
    };
    return Promise.resolve(session);
  },
};
