import { Module } from '@nestjs/common';
import { InventoryQueriesController } from './inventory.queries.http.controller';
import { InventoryController } from './inventory.http.controller';
import { ListItemHandler } from './list-item.command';
import { PurchaseItemHandler } from './purchase-item.command';
import { RestockItemHandler } from './restock-item.command';

/** Items and their stock: the commands, their handlers and their HTTP routes. */
@Module({
  controllers: [InventoryController, InventoryQueriesController],
  providers: [ListItemHandler, PurchaseItemHandler, RestockItemHandler],
})
export class InventoryModule {}
