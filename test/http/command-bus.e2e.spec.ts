import { randomUUID } from 'node:crypto';
import { CommandBus, type ICommand } from '@nestjs/cqrs';
import { ListItemCommand } from '../../apps/api/src/inventory/list-item.command';
import { PurchaseItemCommand } from '../../apps/api/src/inventory/purchase-item.command';
import type { CommandContext } from '../../apps/api/src/shared/command-context';
import { admin, call, startHttpApp, type HttpApp } from '../support/http-app';

const context = (): CommandContext => ({
  metadata: { time: '2026-11-22T12:00:00.000Z', correlationId: randomUUID() },
});

describe("commands on Nest's CommandBus, on real PostgreSQL", () => {
  let app: HttpApp;
  let bus: CommandBus;
  beforeAll(async () => {
    app = await startHttpApp();
    bus = app.nest.get(CommandBus);
  });
  afterAll(async () => {
    await app.close();
  });

  it('a purchase over HTTP is executed as a PurchaseItemCommand on the bus', async () => {
    const seen: ICommand[] = [];
    const subscription = bus.subscribe((command) => seen.push(command));
    try {
      await call(app.baseUrl, 'POST', '/items', { sku: 'bus-1', name: 'Lamp', stock: 5 }, admin);
      const reply = await call(app.baseUrl, 'POST', '/items/bus-1/purchases', {
        customerId: 'c1',
        quantity: 2,
      });
      expect(reply.status).toBe(201);
    } finally {
      subscription.unsubscribe();
    }
    expect(seen.map((command) => command.constructor)).toEqual([
      ListItemCommand,
      PurchaseItemCommand,
    ]);
    expect(seen[1]).toMatchObject({ input: { sku: 'bus-1', customerId: 'c1', quantity: 2 } });
  });

  it('a PurchaseItemCommand executed on the bus → 201 with the remaining stock, one Purchased event', async () => {
    const listed = await bus.execute(
      new ListItemCommand({ sku: 'bus-2', name: 'Mug', stock: 10 }, context()),
    );
    expect(listed).toMatchObject({
      replayed: false,
      reply: { status: 201, body: { revision: 0 } },
    });
    const purchaseId = randomUUID();
    const input = { sku: 'bus-2', customerId: 'c7', quantity: 3, purchaseId };
    const reply = await bus.execute(new PurchaseItemCommand(input, context()));
    expect(reply).toMatchObject({
      replayed: false,
      reply: {
        status: 201,
        body: { purchaseId, sku: 'bus-2', quantity: 3, remainingStock: 7, revision: 1 },
      },
    });
    const events = await app.store.readStream('item-bus-2');
    expect(events.map((event) => event.type)).toEqual(['ItemListed', 'Purchased']);
    expect(events[1]?.data).toMatchObject({ purchaseId, customerId: 'c7', remainingStock: 7 });
  });
});
