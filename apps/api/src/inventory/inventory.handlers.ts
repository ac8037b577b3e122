import { ListItemHandler } from './list-item.handler';
import { PurchaseItemHandler } from './purchase-item.handler';
import { RestockItemHandler } from './restock-item.handler';

export const inventoryCommandHandlers = [ListItemHandler, PurchaseItemHandler, RestockItemHandler];
