import { randomUUID } from 'node:crypto';
import { listItem, renderListItem } from '../../apps/api/src/inventory/list-item.command';
import {
  purchaseItem,
  renderPurchaseItem,
} from '../../apps/api/src/inventory/purchase-item.command';
import { restockItem, renderRestockItem } from '../../apps/api/src/inventory/restock-item.command';
import type { CommandContext } from '../../apps/api/src/shared/command-context';
import { CommandPipeline, PostgresIdempotencyStore } from '../../libs/commands/src';
import { itemStreamId, type InventoryEvent } from '../../libs/domain/src';
import type { RecordedEvent } from '../../libs/event-store/src';
import { inventoryProjection } from '../../projections/inventory';
import { projectUntilCaughtUp, useProjectionDatabase } from '../support/projection-harness';

const at = '2026-11-22T12:00:00.000Z';
const skus = ['s0', 's1', 's2', 's3', 's4'];
const INITIAL = 100;
const context = (): CommandContext => ({ metadata: { time: at, correlationId: randomUUID() } });

describe('inventory projection on real PostgreSQL', () => {
  const harness = useProjectionDatabase([inventoryProjection]);

  const items = async () => {
    const { rows } = await harness.pool.query<{
      sku: string;
      name: string;
      stock: string;
      sold: string;
    }>('SELECT sku, name, stock, sold FROM proj_items ORDER BY sku');
    return rows.map((r) => ({ ...r, stock: Number(r.stock), sold: Number(r.sold) }));
  };

  it('300 concurrent purchases and 50 restocks: stock and sold exact, with two projectors racing', async () => {
    // Two pipelines, as two API processes: each group-commits the commands queued for an
    // item (one append of several events), and they conflict with each other on the same item.
    const pipelines = [0, 1].map(
      () =>
        new CommandPipeline({
          store: harness.store,
          idempotency: new PostgresIdempotencyStore(harness.pool),
        }),
    );
    for (const sku of skus) {
      const input = { sku, name: `Item ${sku}`, stock: INITIAL };
      await pipelines[0]!.execute(listItem(input, context()), renderListItem(input));
    }
    // Each item is asked for 180 of a supply of 170, so some purchases run out of stock.
    const replies = await Promise.all(
      Array.from({ length: 350 }, (_, i) => {
        const sku = skus[i % 5]!;
        const pipeline = pipelines[i % 2]!;
        if (i >= 300) {
          const input = { sku, quantity: 7 };
          return pipeline.execute(restockItem(input, context()), renderRestockItem(input));
        }
        const input = {
          purchaseId: `pu${i}`,
          sku,
          customerId: `c${i}`,
          quantity: (Math.floor(i / 5) % 5) + 1,
        };
        return pipeline.execute(purchaseItem(input, context()), renderPurchaseItem(input));
      }),
    ).then((delivered) => delivered.map((d) => d.reply));
    expect(replies.every((r) => r.status < 300 || r.body.error === 'out_of_stock')).toBe(true);

    const expected = new Map(skus.map((sku) => [sku, { sold: 0, stock: INITIAL }]));
    for (const sku of skus) {
      const e = expected.get(sku)!;
      for (const event of await harness.store.readStream(itemStreamId(sku), { maxCount: 1000 })) {
        const data = event.data as { quantity: number };
        if (event.type === 'Purchased') {
          e.sold += data.quantity;
          e.stock -= data.quantity;
        } else if (event.type === 'Restocked') e.stock += data.quantity;
      }
    }
    const sold = replies.slice(0, 300).filter((r) => r.status === 201).length;
    expect(sold).toBeLessThan(300);
    expect(sold).toBeGreaterThan(0);
    await projectUntilCaughtUp({
      pool: harness.pool,
      store: harness.store,
      projections: [inventoryProjection],
      head: await harness.store.headPosition(),
      batchSize: 50,
    });
    expect(await items()).toEqual(
      skus.map((sku) => ({ sku, name: `Item ${sku}`, ...expected.get(sku)! })),
    );
  });

  it('never lets a stock from an earlier stream revision overwrite a later one', async () => {
    let position = 0n;
    const recorded = (event: InventoryEvent, revision: number): RecordedEvent => ({
      ...event,
      id: `e${++position}`,
      metadata: {},
      streamId: itemStreamId(event.data.sku),
      revision,
      position,
      recordedAt: new Date(),
    });
    const apply = async (events: RecordedEvent[]) => {
      const client = await harness.pool.connect();
      try {
        return await inventoryProjection.apply(client, events, inventoryProjection.tables);
      } finally {
        client.release();
      }
    };
    await apply([
      recorded({ type: 'ItemListed', data: { sku: 'x', name: 'X', stock: 5, listedAt: at } }, 0),
      recorded(
        { type: 'Restocked', data: { sku: 'x', quantity: 45, stock: 50, restockedAt: at } },
        5,
      ),
    ]);
    const changes = await apply([
      recorded(
        {
          type: 'Purchased',
          data: {
            purchaseId: 'late',
            sku: 'x',
            customerId: 'c',
            quantity: 1,
            remainingStock: 99,
            purchasedAt: at,
          },
        },
        3,
      ),
    ]);
    expect(await items()).toEqual([{ sku: 'x', name: 'X', stock: 50, sold: 1 }]);
    expect(changes).toEqual([
      { key: 'x', value: { sku: 'x', name: 'X', listed: true, stock: 50, sold: 1 } },
    ]);
  });
});
