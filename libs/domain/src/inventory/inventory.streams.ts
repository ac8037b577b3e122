import { checkedId, streamId } from '../shared';

export const itemStreamId = (sku: string): string => streamId('item', checkedId('sku', sku));
