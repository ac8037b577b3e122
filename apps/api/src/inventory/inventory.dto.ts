import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { ID_PATTERN, ID_RULE, IsText } from '../shared/dto-rules';

export class SkuParams {
  @ApiProperty({ pattern: ID_PATTERN.source, example: 'LAMP-01' })
  @IsString()
  @Matches(ID_PATTERN, { message: `sku must be ${ID_RULE}` })
  sku!: string;
}

export class CreateItemRequest extends SkuParams {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Desk lamp' })
  @IsText(1, 200)
  name!: string;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 1_000_000_000, example: 100 })
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  stock!: number;
}

export class PurchaseRequest {
  @ApiProperty({ pattern: ID_PATTERN.source, example: 'customer-7' })
  @IsString()
  @Matches(ID_PATTERN, { message: `customerId must be ${ID_RULE}` })
  customerId!: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 1000, example: 1 })
  @IsInt()
  @Min(1)
  @Max(1000)
  quantity!: number;
}

export class RestockRequest {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 1_000_000, example: 50 })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  quantity!: number;
}
