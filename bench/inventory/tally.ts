import { randomUUID } from 'node:crypto';
import { CommandPipeline, PostgresIdempotencyStore } from '@tally/commands';
import { PostgresEventStore } from '@tally/event-store';
import { createPool } from '@tally/infra';
import { Projector } from '@tally/projections';
import { allProjections } from '@tally/read-models';
import { inventoryTables } from '@tally/read-models/inventory';
import { listItem, renderListItem } from '../../apps/api/src/inventory/list-item.command';
import {
  purchaseItem,
  renderPurchaseItem,
} from '../../apps/api/src/inventory/purchase-item.command';
import { LagRecorder } from '../lib/lag';
import { commandContext, setupSchema } from '../projections/setup';
import type { SkuCheck, SkuLoad, SkuSession, SkuSystem } from './system';

const DRAIN_TIMEOUT_MS = 60_000;

async function setupTally(url: string, load: SkuLoad): Promise<void> {
  await setupSchema(url, allProjections);
  const pool = createPool(url, 8);
  const store = new PostgresEventStore({ pool, url });
  try {
    const pipeline = new CommandPipeline({
      store,
      idempotency: new PostgresIdempotencyStore(pool),
    });
    const replies = await Promise.all(
      load.items.map(async ({ sku, stock }) => {
        const input = { sku, name: `Item ${sku}`, stock };
        const { reply } = await pipeline.execute(
          listItem(input, commandContext()),
          renderListItem(input),
        );
        return reply;
      }),
    );
    const refused = replies.find((r) => r.status !== 201);
    if (refused)
      throw new Error(`listing answered ${refused.status} ${JSON.stringify(refused.body)}`);
  } finally {
    await store.close();
    await pool.end();
  }
}

/**
 * Tally as the API runs it: the real purchase spec through the CommandPipeline (purchases of
 * one SKU queued in the process are decided against one state and appended together), and a
 * Projector for every projection on the same pool; lag is timed to the inventory projection.
 */
export const tallySkuSystem: SkuSystem = {
  name: 'tally',
  description:
    'CommandPipeline with the real purchase spec (group commit per SKU, cross-stream batches), acknowledged once appended; all 5 projections follow in the same process on the same pool',
  setup: setupTally,

  async open(url, poolSize) {
    const pool = createPool(url, poolSize);
    const store = new PostgresEventStore({ pool, url });
    const pipeline = new CommandPipeline({
      store,
      idempotency: new PostgresIdempotencyStore(pool),
    });
    const recorder = new LagRecorder();
    let failure: Error | undefined;
    let acknowledged = 0;
    const projector = new Projector({
      pool,
      store,
      projections: allProjections,
      onCommitted: (name, position) => {
        if (name === 'inventory') recorder.committedTo(position);
      },
      onError: (name, error) => {
        failure ??= new Error(`projection ${name} failed`, { cause: error });
      },
    });
    await projector.start();
    const session: SkuSession = {
      pool,
      async purchase(sku, client) {
        if (failure) throw failure;
        const input = {
          sku,
          customerId: `customer-${client}`,
          quantity: 1,
          purchaseId: randomUUID(),
        };
        const { reply } = await pipeline.execute(
          purchaseItem(input, commandContext()),
          renderPurchaseItem(input),
        );
        if (reply.status === 201) {
          acknowledged++;
          recorder.acknowledged(BigInt(String(reply.body.position)));
          return 'sold';
        }
        if (reply.body.error === 'out_of_stock') return 'out_of_stock';
        throw new Error(`purchase answered ${reply.status} ${JSON.stringify(reply.body)}`);
      },
      async check(window): Promise<SkuCheck> {
        const drained = await recorder.drained(DRAIN_TIMEOUT_MS);
        if (failure) throw failure;
        // A position is (transaction id << 20) + index: one prefix per appending transaction.
        const { rows } = await pool.query<{
          recorded: string;
          lowest: string | null;
          wrong: string;
          tx: string;
          projected: string;
        }>(
          `WITH listed AS (
             SELECT stream_id, (data->>'stock')::bigint AS stock FROM tally_events WHERE type = 'ItemListed'),
           p AS (
             SELECT e.position >> 20 AS tx, l.stock, (e.data->>'remainingStock')::bigint AS remaining,
                    sum((e.data->>'quantity')::bigint) OVER (PARTITION BY e.stream_id ORDER BY e.revision) AS sold
               FROM tally_events e JOIN listed l USING (stream_id) WHERE e.type = 'Purchased')
           SELECT count(*)::text AS recorded, min(remaining)::text AS lowest,
                  count(*) FILTER (WHERE remaining <> stock - sold)::text AS wrong,
                  count(DISTINCT tx)::text AS tx,
                  (SELECT coalesce(sum(sold), 0) FROM ${inventoryTables.items})::text AS projected
             FROM p`,
        );
        const row = rows[0];
        const sold = Number(row?.recorded ?? 0);
        const oversold = Math.max(0, -Number(row?.lowest ?? 0));
        const wrong = Number(row?.wrong ?? 0);
        const projected = Number(row?.projected ?? 0);
        const problems = [
          sold !== acknowledged ? `${acknowledged} purchases acknowledged, ${sold} recorded` : '',
          oversold > 0 ? `oversold by ${oversold}` : '',
          wrong > 0 ? `${wrong} purchases carry a wrong remaining stock` : '',
          projected !== sold ? `the inventory projection counts ${projected} sold` : '',
          drained ? '' : `inventory did not catch up within ${DRAIN_TIMEOUT_MS} ms`,
        ].filter(Boolean);
        const lag = recorder.stats(window.start, window.end);
        return {
          acknowledged,
          sold,
          oversold,
          lost: Math.max(0, acknowledged - sold) + wrong,
          problems,
          lagP50Ms: lag.p50,
          lagP99Ms: lag.p99,
          lagSamples: lag.samples,
          perTransaction: sold / Math.max(1, Number(row?.tx ?? 0)),
        };
      },
      async close() {
        await projector.stop();
        await store.close();
        await pool.end();
      },
    };
    return session;
  },
};
