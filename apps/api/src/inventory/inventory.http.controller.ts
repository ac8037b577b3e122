import { randomUUID } from 'node:crypto';
import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Admin } from '../http/auth';
import { commandContext, sendReply } from '../http/command-request';
import { CommandAnswers } from '../http/route-docs';
import { CreateItemRequest, PurchaseRequest, RestockRequest, SkuParams } from './inventory.dto';
import { CreateItemResponse, PurchaseResponse, RestockResponse } from './inventory.responses';
import { ListItemCommand } from './list-item.command';
import { PurchaseItemCommand } from './purchase-item.command';
import { RestockItemCommand } from './restock-item.command';

@ApiTags('inventory')
@Controller('items')
export class InventoryController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @Admin()
  @CommandAnswers(201, CreateItemResponse, 'item_exists')
  create(
    @Body() body: CreateItemRequest,
    @Req() request: FastifyRequest,
    @Res() response: FastifyReply,
  ): Promise<void> {
    const input = { sku: body.sku, name: body.name, stock: body.stock };
    return sendReply(
      response,
      this.commandBus.execute(new ListItemCommand(input, commandContext(request))),
    );
  }

  @Post(':sku/purchases')
  @CommandAnswers(201, PurchaseResponse, 'item_not_found', 'out_of_stock')
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
    return sendReply(
      response,
      this.commandBus.execute(new PurchaseItemCommand(input, commandContext(request))),
    );
  }

  @Post(':sku/restocks')
  @Admin()
  @CommandAnswers(200, RestockResponse, 'item_not_found')
  restock(
    @Param() { sku }: SkuParams,
    @Body() body: RestockRequest,
    @Req() request: FastifyRequest,
    @Res() response: FastifyReply,
  ): Promise<void> {
    const input = { sku, quantity: body.quantity };
    return sendReply(
      response,
      this.commandBus.execute(new RestockItemCommand(input, commandContext(request))),
    );
  }
}
