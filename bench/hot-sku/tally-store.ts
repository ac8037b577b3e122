import { randomUUID } from 'node:crypto';
import { CommandPipeline, PostgresIdempotencyStore } from '@tally/commands';
import { itemStreamId } from '@tally/domain';
import { PostgresEventStore } from '@tally/event-store';
import { createPool, migrate } from '@tally/infra';
import type { Pool } from 'pg';
import { allMigrations } from '../../apps/shared/src/all-migrations';
import { listItem, renderListItem } from '../../apps/api/src/inventory/list-item.command';
import type { CommandContext } from '../../apps/api/src/shared/command-context';
import type { StockCheck } from './system';
import { HOT_SKU, INITIAL_STOCK } from './system';

export const HOT_STREAM = itemStreamId(HOT_SKU);

/** A fresh command context, as the HTTP layer builds one (no Idempotency-Key). */
export function commandContext(): CommandContext {
  return { metadata: { time: new Date().toISOString(), correlationId: randomUUID() } };
}

/** Tally's schema, and the hot item listed through the real pipeline and command spec. */
export async function setupTally(url: string): Promise<void> {
  const pool = createPool(url, 2);
  const store = new PostgresEventStore({ pool, url });
  try {
    await migrate(pool, allMigrations());
    const pipeline = new CommandPipeline({
      store,
      idempotency: new PostgresIdempotencyStore(pool),
    });
    const input = { sku: HOT_SKU, name: 'Hot item', stock: INITIAL_STOCK };
    const { reply } = await pipeline.execute(
      listItem(input, commandContext()),
      renderListItem(input),
    );
    if (reply.status !== 201) {
      throw new Error(
        `listing the hot item answered ${reply.status} ${JSON.stringify(reply.body)}`,
      );
    }
  } finally {
    await store.close();
    await pool.end();
  }
}

function numberField(data: unknown, field: string): number | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const value = (data as Record<string, unknown>)[field];
  return typeof value === 'number' ? value : undefined;
}

/**
 * The hot stream read back: Purchased events counted against the last event's remaining
 * stock, and every Purchased checked to carry the stock before minus all sales up to it.
 */
export async function checkTally(pool: Pool, store: PostgresEventStore): Promise<StockCheck> {
  const [listed] = await store.readStream(HOT_STREAM, { maxCount: 1 });
  const before = numberField(listed?.data, 'stock');
  if (listed?.type !== 'ItemListed' || before === undefined) {
    throw new Error(`${HOT_STREAM} does not start with ItemListed`);
  }
  const { revision } = await store.streamState(HOT_STREAM);
  const [last] = await store.readStream(HOT_STREAM, { fromRevision: revision, maxCount: 1 });
  const after = numberField(last?.data, last?.type === 'Purchased' ? 'remainingStock' : 'stock');
  if (after === undefined) throw new Error(`${HOT_STREAM}: no stock in the last event`);
  // A position is (transaction id << 20) + index: one distinct prefix per appending transaction.
  const { rows } = await pool.query<{ recorded: string; lowest: string; lost: string; tx: string }>(
    `WITH p AS (
       SELECT position >> 20 AS tx, (data->>'remainingStock')::bigint AS remaining,
              sum((data->>'quantity')::bigint) OVER (ORDER BY revision) AS sold
         FROM tally_events WHERE stream_id = $1 AND type = 'Purchased')
     SELECT count(*)::text AS recorded, coalesce(min(remaining), $2::bigint)::text AS lowest,
            count(*) FILTER (WHERE remaining <> $2::bigint - sold)::text AS lost,
            count(DISTINCT tx)::text AS tx
       FROM p`,
    [HOT_STREAM, before],
  );
  const row = rows[0];
  return {
    before,
    after,
    recorded: Number(row?.recorded ?? 0),
    oversold: Math.max(0, -Number(row?.lowest ?? 0)),
    lostUpdates: Number(row?.lost ?? 0),
    transactions: Number(row?.tx ?? 0),
  };
}
