import {
  decideBatch,
  foldState,
  inventoryDecider,
  itemStreamId,
  type InventoryCommand,
  type InventoryEvent,
} from '../../libs/domain/src';
import { WrongExpectedRevision, type RecordedEvent } from '../../libs/event-store/src';
import { inventoryProjection } from '../../projections/inventory';
import { useProjectionDatabase } from '../support/projection-harness';

const at = '2026-11-22T12:00:00.000Z';
const skus = ['s0', 's1', 's2', 's3', 's4'];
const INITIAL = 100;

describe('inventory projection on real PostgreSQL', () => {
  const harness = useProjectionDatabase([inventoryProjection]);

  /**
   * Decides commands against the item's current state and appends with its revision, like
   * the API; a concurrent writer that got there first means load, decide and try again.
   * Returns the accepted events.
   */
  async function decideAndAppend(commands: InventoryCommand[]): Promise<InventoryEvent[]> {
    const stream = itemStreamId(commands[0]!.data.sku);
    for (;;) {
      const history = await harness.store.readStream(stream, { maxCount: 10_000 });
      const state = foldState(
        inventoryDecider,
        history.map((e) => ({ type: e.type, data: e.data }) as InventoryEvent),
      );
      const { events } = decideBatch(commands, state);
      if (events.length === 0) return [];
      try {
        const expected = history.length === 0 ? 'no_stream' : history.length - 1;
        await harness.append(stream, events, expected);
        return events;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevision)) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
      }
    }
  }

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
    for (const sku of skus) {
      await decideAndAppend([
        { type: 'ListItem', data: { sku, name: `Item ${sku}`, stock: INITIAL, at } },
      ]);
    }
    const purchase = (i: number): InventoryCommand => ({
      type: 'Purchase',
      data: {
        purchaseId: `pu${i}`,
        sku: skus[i % 5]!,
        customerId: `c${i}`,
        quantity: (Math.floor(i / 5) % 5) + 1,
        at,
      },
    });
    const restock = (i: number): InventoryCommand => ({
      type: 'Restock',
      data: { sku: skus[i % 5]!, quantity: 7, at },
    });
    // s0 takes its commands in groups (one append of several events, as for a hot item);
    // the other items one command per append. Each item is asked for 180 of a supply of 170,
    // so some purchases run out of stock.
    const work: InventoryCommand[][] = [];
    const hot: InventoryCommand[] = [];
    for (let i = 0; i < 350; i++) {
      const command = i < 300 ? purchase(i) : restock(i);
      if (command.data.sku === 's0') hot.push(command);
      else work.push([command]);
    }
    for (let i = 0; i < hot.length; i += 7) work.push(hot.slice(i, i + 7));
    const accepted = (await Promise.all(work.map(decideAndAppend))).flat();

    const expected = new Map(skus.map((sku) => [sku, { sold: 0, stock: INITIAL }]));
    for (const event of accepted) {
      const e = expected.get(event.data.sku)!;
      if (event.type === 'Purchased') {
        e.sold += event.data.quantity;
        e.stock -= event.data.quantity;
      } else if (event.type === 'Restocked') e.stock += event.data.quantity;
    }
    expect(accepted.filter((e) => e.type === 'Purchased').length).toBeLessThan(300);
    expect(accepted.filter((e) => e.type === 'Purchased').length).toBeGreaterThan(0);
    await harness.project({ batchSize: 50 });
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
