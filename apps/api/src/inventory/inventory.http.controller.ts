import { randomUUID } from 'node:crypto';
import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandPipeline } from '@tally/commands';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Admin } from '../http/auth';
import { commandContext, sendReply } from '../http/command-request';
import { CreateItemRequest, PurchaseRequest, RestockRequest, SkuParams } from './inventory.dto';
import { listItem, purchaseItem, restockItem } from './inventory.commands';

@ApiTags('inventory')
@ApiBearerAuth()
@Controller('items')
export class InventoryController {
  constructor(private readonly pipeline: CommandPipeline) {}

  @Post()
  @Admin()
  create(
    @Body() body: CreateItemRequest,
    @Req() request: FastifyRequest,
    @Res() response: FastifyReply,
  ): Promise<void> {
    const { sku, name, stock } = body;
    return sendReply(
      response,
      this.pipeline.execute(listItem({ sku, name, stock }, commandContext(request))),
    );
  }

  @Post(':sku/purchases')
  purchase(
    @Param() { sku }: SkuParams,
    @Body() body: PurchaseRequest,
    @Req() request: FastifyRequest,
    @Res() response: FastifyReply,
  ): Promise<void> {
    const input = {
      sku,
      customerId: body.customerId,
      quantity: body.quantity,
      purchaseId: randomUUID(),
    };
    return sendReply(response, this.pipeline.execute(purchaseItem(input, commandContext(request))));
  }

  @Post(':sku/restocks')
  @Admin()
  restock(
    @Param() { sku }: SkuParams,
    @Body() body: RestockRequest,
    @Req() request: FastifyRequest,
    @Res() response: FastifyReply,
  ): Promise<void> {
    return sendReply(
      response,
      this.pipeline.execute(restockItem({ sku, quantity: body.quantity }, commandContext(request))),
    );
  }
}
