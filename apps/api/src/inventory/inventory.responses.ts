import { ApiProperty } from '@nestjs/swagger';
import { PositionProperty, RevisionProperty } from '../shared/dto-rules';
import type { ItemView } from './inventory.queries';

export class CreateItemResponse {
  @ApiProperty({ type: String })
  sku!: string;

  @ApiProperty({ type: String })
  name!: string;

  @ApiProperty({ type: 'integer' })
  stock!: number;

  @RevisionProperty()
  revision!: number;

  @PositionProperty()
  position!: string;
}

export class PurchaseResponse {
  @ApiProperty({ type: String, format: 'uuid' })
  purchaseId!: string;

  @ApiProperty({ type: String })
  sku!: string;

  @ApiProperty({ type: 'integer' })
  quantity!: number;

  @ApiProperty({ type: 'integer' })
  remainingStock!: number;

  @RevisionProperty()
  revision!: number;

  @PositionProperty()
  position!: string;
}

export class RestockResponse {
  @ApiProperty({ type: String })
  sku!: string;

  @ApiProperty({ type: 'integer' })
  stock!: number;

  @RevisionProperty()
  revision!: number;

  @PositionProperty()
  position!: string;
}

export class ItemResponse implements ItemView {
  @ApiProperty({ type: String })
  sku!: string;

  @ApiProperty({ type: String })
  name!: string;

  @ApiProperty({ type: 'integer' })
  stock!: number;

  @ApiProperty({ type: 'integer' })
  sold!: number;

  @PositionProperty({ description: 'the projection checkpoint this was read at' })
  position!: string;
}
