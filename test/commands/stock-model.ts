import type { CommandSpec, Decided } from '../../libs/commands/src';
import { errorReply } from '../../libs/commands/src';

/** A minimal stock model, independent of the real domain, to exercise the pipeline itself. */
export type StockEvent =
  | { type: 'Listed'; data: { stock: number } }
  | { type: 'Bought'; data: { quantity: number; remaining: number } };
export interface StockState {
  listed: boolean;
  stock: number;
}
type StockError = { code: 'out_of_stock'; available: number } | { code: 'item_not_found' };

const model = {
  initialState: { listed: false, stock: 0 } as StockState,
  evolve: (state: StockState, event: StockEvent): StockState =>
    event.type === 'Listed'
      ? { listed: true, stock: event.data.stock }
      : { ...state, stock: event.data.remaining },
};

export function buy(
  sku: string,
  quantity: number,
  idempotency?: { key: string; fingerprint: string },
): CommandSpec<StockState, StockEvent, StockError> {
  return {
    name: 'buy',
    streamId: `item-${sku}`,
    model,
    decide: (state): Decided<StockEvent, StockError> => {
      if (!state.listed) return { ok: false, error: { code: 'item_not_found' } };
      if (quantity > state.stock)
        return { ok: false, error: { code: 'out_of_stock', available: state.stock } };
      return {
        ok: true,
        events: [{ type: 'Bought', data: { quantity, remaining: state.stock - quantity } }],
      };
    },
    accepted: ({ after, revision, position }) => ({
      status: 201,
      body: { remainingStock: after.stock, revision, position: position.toString() },
    }),
    rejected: (error) =>
      error.code === 'out_of_stock'
        ? errorReply('out_of_stock', 'not enough stock', { available: error.available })
        : errorReply('item_not_found', 'no such item'),
    metadata: { time: new Date(0).toISOString() },
    idempotency,
  };
}

export function list(
  sku: string,
  stock: number,
): CommandSpec<StockState, StockEvent, { code: 'item_exists' }> {
  return {
    name: 'list',
    streamId: `item-${sku}`,
    model,
    decide: (state) =>
      state.listed
        ? { ok: false, error: { code: 'item_exists' } }
        : { ok: true, events: [{ type: 'Listed', data: { stock } }] },
    accepted: ({ revision }) => ({ status: 201, body: { revision } }),
    rejected: () => errorReply('item_exists', 'exists'),
    metadata: {},
  };
}
