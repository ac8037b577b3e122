import { Module } from '@nestjs/common';
import { InventoryController } from './inventory.http.controller';
import { ListItemHandler } from './list-item.command';
import { PurchaseItemHandler } from './purchase-item.command';
import { RestockItemHandler } from './restock-item.command';

/** Items and their stock: the commands, their handlers and their HTTP routes. */
@Module({
  controllers: [InventoryController],
  providers: [ListItemHandler, PurchaseItemHandler, RestockItemHandler],
})
export class InventoryModule {}
