import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DATABASE, type Database } from '@tally/infra';
import { ApiError } from '../http/api-error';
import { awaitMinPosition } from '../http/min-position';
import { ReadAnswers } from '../http/route-docs';
import { ProjectionPositions } from '../read-side/projection-positions';
import { SkuParams } from './inventory.dto';
import { INVENTORY_PROJECTION, readItem, type ItemView } from './inventory.queries';
import { ItemResponse } from './inventory.responses';

/** An item's stock and sales from the inventory projection. */
@ApiTags('reads')
@Controller('items')
export class InventoryQueriesController {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    private readonly positions: ProjectionPositions,
  ) {}

  @Get(':sku')
  @ReadAnswers(ItemResponse, 'item_not_found')
  async item(
    @Param() { sku }: SkuParams,
    @Query('minPosition') minPosition?: unknown,
  ): Promise<ItemView> {
    await awaitMinPosition(this.positions, INVENTORY_PROJECTION, minPosition);
    const view = await readItem(this.database.pool, sku);
    if (!view) throw new ApiError('item_not_found', `item ${sku} not found`, { sku });
    return view;
  }
}
