import { randomUUID } from 'node:crypto';
import { CommandPipeline, PostgresIdempotencyStore } from '@tally/commands';
import { PostgresEventStore } from '@tally/event-store';
import { createPool } from '@tally/infra';
import {
  purchaseItem,
  renderPurchaseItem,
} from '../../apps/api/src/inventory/purchase-item.command';
import type { HotSkuSession, HotSkuSystem, SystemName } from './system';
import { HOT_SKU } from './system';
import { checkTally, commandContext, setupTally } from './tally-store';

/** Tally's real command path: CommandPipeline executing the inventory `purchaseItem` spec. */
function pipelineSystem(
  name: SystemName,
  description: string,
  maxBatch: number | undefined,
): HotSkuSystem {
  return {
    name,
    description,
    // One append in flight for the one stream, plus the post-commit NOTIFY.
    connections: () => 2,
    setup: setupTally,

    open(url, poolSize, counters) {
      const pool = createPool(url, poolSize);
      const store = new PostgresEventStore({ pool, url });
      const pipeline = new CommandPipeline({
        store,
        idempotency: new PostgresIdempotencyStore(pool),
        maxBatch,
        observer: { conflict: () => counters.conflicts.add(), completed: () => undefined },
      });
      const session: HotSkuSession = {
        pool,
        purchaser(writer) {
          const customerId = `customer-${writer}`;
          return async () => {
            const input = { sku: HOT_SKU, customerId, quantity: 1, purchaseId: randomUUID() };
            const { reply } = await pipeline.execute(
              purchaseItem(input, commandContext()),
              renderPurchaseItem(input),
            );
            if (reply.status === 201) return true;
            counters.failures.add(`${reply.status} ${String(reply.body.error)}`);
            return false;
          };
        },
        check: () => checkTally(pool, store),
        async close() {
          await store.close();
          await pool.end();
        },
      };
      return Promise.resolve(session);
    },
  };
}

export const groupCommitSystem = pipelineSystem(
  'tally-group-commit',
  'CommandPipeline (default maxBatch 500): purchases queued per stream are decided against one loaded state and appended in one transaction',
  undefined,
);

export const noGroupCommitSystem = pipelineSystem(
  'tally-no-group-commit',
  'the same pipeline with maxBatch 1: still serialised per stream in-process, one append per purchase',
  1,
);
