import { randomUUID } from 'node:crypto';
import { decideInventory, evolveItem } from '@tally/domain';
import type { InventoryEvent, ItemState } from '@tally/domain';
import { PostgresEventStore, WrongExpectedRevision } from '@tally/event-store';
import { createPool } from '@tally/infra';
import type { HotSkuSession, HotSkuSystem } from './system';
import { HOT_SKU } from './system';
import { HOT_STREAM, checkTally, commandContext, setupTally } from './tally-store';

// Fields the purchase decision never reads; the last event supplies the stock.
const LISTED: ItemState = { status: 'listed', sku: HOT_SKU, name: '', stock: 0 };

/**
 * No pipeline: every client loads the item itself (revision, then the event at that revision,
 * folded onto a listed state), decides with the real domain, and appends with that exact
 * revision; a WrongExpectedRevision is retried at once by re-reading.
 */
export const occSystem: HotSkuSystem = {
  name: 'tally-occ-retry',
  description:
    'no pipeline: each client reads the stream revision and the event at it, decides, appends with the exact expected revision, retries immediately on WrongExpectedRevision',
  connections: (writers) => writers + 1,
  setup: setupTally,

  open(url, poolSize, counters) {
    const pool = createPool(url, poolSize);
    const store = new PostgresEventStore({ pool, url });

    const load = async (): Promise<{ state: ItemState; revision: number }> => {
      const { revision } = await store.streamState(HOT_STREAM);
      const events = await store.readStream(HOT_STREAM, { fromRevision: revision, maxCount: 1 });
      // Events read back are the shapes the domain wrote.
      const state = (events as unknown as InventoryEvent[]).reduce(evolveItem, LISTED);
      return { state, revision };
    };

    const session: HotSkuSession = {
      pool,
      purchaser(writer) {
        const customerId = `customer-${writer}`;
        return async () => {
          const { state, revision } = await load();
          const context = commandContext();
          const data = { sku: HOT_SKU, customerId, quantity: 1, purchaseId: randomUUID() };
          const decision = decideInventory(
            { type: 'Purchase', data: { ...data, at: context.metadata.time } },
            state,
          );
          if (!decision.ok) {
            counters.failures.add(decision.error.code);
            return false;
          }
          const events = decision.events.map((e) => ({ ...e, metadata: context.metadata }));
          try {
            await store.append(HOT_STREAM, events, revision);
            return true;
          } catch (error) {
            if (!(error instanceof WrongExpectedRevision)) throw error;
            counters.conflicts.add();
            return false;
          }
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
