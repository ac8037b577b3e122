import { IdProperty, IntegerProperty, TextProperty } from '../shared/dto-rules';

export class SkuParams {
  @IdProperty({ example: 'LAMP-01' })
  sku!: string;
}

export class CreateItemRequest extends SkuParams {
  @TextProperty(1, 200, { example: 'Desk lamp' })
  name!: string;

  @IntegerProperty(0, 1_000_000_000, { example: 100 })
  stock!: number;
}

export class PurchaseRequest {
  @IdProperty({ example: 'customer-7' })
  customerId!: string;

  @IntegerProperty(1, 1000, { example: 1 })
  quantity!: number;
}

export class RestockRequest {
  @IntegerProperty(1, 1_000_000, { example: 50 })
  quantity!: number;
}
