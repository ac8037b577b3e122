import { randomUUID } from 'node:crypto';
import {
  CommandPipeline,
  PostgresIdempotencyStore,
  type BoundCommand,
  type Render,
} from '@tally/commands';
import type { InventoryError, InventoryEvent, ItemState } from '@tally/domain';
import { PostgresEventStore } from '@tally/event-store';
import { allMigrations } from '../../../shared/src/all-migrations';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import type { HttpReply } from '../http/error-codes';
import type { CommandContext } from '../shared/command-context';
import { listItem, renderListItem, type ListItemInput } from './list-item.command';
import { purchaseItem, renderPurchaseItem } from './purchase-item.command';
import { renderRestockItem, restockItem } from './restock-item.command';

const context = (): CommandContext => ({
  metadata: { time: '2026-11-22T12:00:00.000Z', correlationId: randomUUID() },
});

describe('inventory commands through the pipeline on real PostgreSQL', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let pipeline: CommandPipeline;

  beforeAll(async () => {
    db = await createTestDatabase(allMigrations(), 30);
    store = new PostgresEventStore({ pool: db.pool, url: db.url });
    pipeline = new CommandPipeline({ store, idempotency: new PostgresIdempotencyStore(db.pool) });
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  const run = async (
    command: BoundCommand<ItemState, InventoryEvent, InventoryError, undefined>,
    render: Render<ItemState, InventoryError, HttpReply>,
  ): Promise<HttpReply> => (await pipeline.execute(command, render)).reply;
  const list = (input: ListItemInput) => run(listItem(input, context()), renderListItem(input));
  const restock = (sku: string, quantity: number) =>
    run(restockItem({ sku, quantity }, context()), renderRestockItem({ sku, quantity }));
  const purchase = (sku: string, quantity = 1) => {
    const input = { sku, customerId: 'c1', quantity, purchaseId: randomUUID() };
    return run(purchaseItem(input, context()), renderPurchaseItem(input));
  };

  it('when 300 customers buy a stock of 100 at once → exactly 100 Purchased, 200 out_of_stock, stock 0', async () => {
    const listed = await list({ sku: 'SKU-1', name: 'Lamp', stock: 100 });
    expect(listed).toMatchObject({
      status: 201,
      body: { sku: 'SKU-1', name: 'Lamp', stock: 100, revision: 0 },
    });
    const replies = await Promise.all(Array.from({ length: 300 }, () => purchase('SKU-1')));
    const sold = replies.filter((r) => r.status === 201);
    const refused = replies.filter((r) => r.status === 409);
    expect(sold).toHaveLength(100);
    expect(refused).toHaveLength(200);
    for (const r of refused) expect(r.body).toMatchObject({ error: 'out_of_stock', available: 0 });
    const events = await store.readStream('item-SKU-1', { maxCount: 1000 });
    expect(events.filter((e) => e.type === 'Purchased')).toHaveLength(100);
    expect(new Set(sold.map((r) => r.body.revision)).size).toBe(100);
    expect(sold.map((r) => r.body.remainingStock).sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: 100 }, (_, i) => i),
    );
  });

  it('when purchases and restocks race → no restock is lost and stock never goes below zero', async () => {
    await list({ sku: 'SKU-2', name: 'Chair', stock: 50 });
    const work = [
      ...Array.from({ length: 200 }, () => purchase('SKU-2')),
      ...Array.from({ length: 10 }, () => restock('SKU-2', 10)),
    ];
    const replies = await Promise.all(work);
    const sold = replies.filter((r) => r.status === 201).length;
    expect(replies.filter((r) => r.status === 200)).toHaveLength(10);
    const events = await store.readStream('item-SKU-2', { maxCount: 1000 });
    let stock = 0;
    for (const e of events) {
      const data = e.data as { stock?: number; remainingStock?: number };
      stock = data.remainingStock ?? data.stock ?? stock;
      expect(stock).toBeGreaterThanOrEqual(0);
    }
    expect(stock).toBe(50 + 100 - sold);
    expect(events.filter((e) => e.type === 'Purchased')).toHaveLength(sold);
  });

  it('when the item does not exist → item_not_found and nothing is written', async () => {
    const reply = await purchase('NOPE');
    expect(reply).toMatchObject({ status: 404, body: { error: 'item_not_found', sku: 'NOPE' } });
    expect(await store.readStream('item-NOPE')).toEqual([]);
  });

  it('when the item is listed twice → item_exists', async () => {
    await list({ sku: 'SKU-3', name: 'A', stock: 1 });
    const again = await list({ sku: 'SKU-3', name: 'B', stock: 2 });
    expect(again).toMatchObject({ status: 409, body: { error: 'item_exists' } });
  });
});
