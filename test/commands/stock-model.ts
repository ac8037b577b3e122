import type {
  BoundCommand,
  CommandOutcome,
  CommandPipeline,
  Decided,
  Idempotency,
  StreamDecider,
} from '../../libs/commands/src';
import { bindCommand } from '../../libs/commands/src';

/** A minimal stock model, independent of the real domain, to exercise the pipeline itself. */
export type StockEvent =
  | { type: 'Listed'; data: { stock: number } }
  | { type: 'Bought'; data: { quantity: number; remaining: number } };
export interface StockState {
  listed: boolean;
  stock: number;
}
type StockCommand = { type: 'buy'; quantity: number } | { type: 'list'; stock: number };
type StockError =
  | { code: 'out_of_stock'; available: number }
  | { code: 'item_not_found' }
  | { code: 'item_exists' };
export type StockBinding = BoundCommand<StockState, StockEvent, StockError, undefined>;

const stock: StreamDecider<StockCommand, StockState, StockEvent, StockError> = {
  initialState: { listed: false, stock: 0 },
  evolve: (state, event) =>
    event.type === 'Listed'
      ? { listed: true, stock: event.data.stock }
      : { ...state, stock: event.data.remaining },
  decide: (command, state): Decided<StockEvent, StockError> => {
    if (command.type === 'list') {
      return state.listed
        ? { ok: false, error: { code: 'item_exists' } }
        : { ok: true, events: [{ type: 'Listed', data: { stock: command.stock } }] };
    }
    const { quantity } = command;
    if (!state.listed) return { ok: false, error: { code: 'item_not_found' } };
    if (quantity > state.stock)
      return { ok: false, error: { code: 'out_of_stock', available: state.stock } };
    return {
      ok: true,
      events: [{ type: 'Bought', data: { quantity, remaining: state.stock - quantity } }],
    };
  },
};

export function buy(sku: string, quantity: number, idempotency?: Idempotency): StockBinding {
  return bindCommand({
    name: 'buy',
    streamId: `item-${sku}`,
    decider: stock,
    command: { type: 'buy', quantity },
    metadata: { time: new Date(0).toISOString() },
    idempotency,
  });
}

export function list(sku: string, initial: number): StockBinding {
  return bindCommand({
    name: 'list',
    streamId: `item-${sku}`,
    decider: stock,
    command: { type: 'list', stock: initial },
    metadata: {},
  });
}

/** An HTTP-like rendering, as an API would store it with an Idempotency-Key. */
export interface TestReply {
  status: number;
  body: Record<string, unknown>;
}

const STATUS = { out_of_stock: 409, item_not_found: 404, item_exists: 409 } as const;

export function renderStock(outcome: CommandOutcome<StockState, StockError>): TestReply {
  switch (outcome.kind) {
    case 'accepted': {
      const { after, revision, position } = outcome;
      return {
        status: 201,
        body: { remainingStock: after.stock, revision, position: position.toString() },
      };
    }
    case 'rejected':
      return {
        status: STATUS[outcome.error.code],
        body: { error: outcome.error.code, ...outcome.error },
      };
    case 'revision_mismatch':
      return {
        status: 412,
        body: { error: 'revision_mismatch', currentRevision: outcome.currentRevision },
      };
    case 'conflict':
      return { status: 409, body: { error: 'concurrency_conflict' } };
    case 'idempotency_key_reused':
      return { status: 422, body: { error: 'idempotency_key_reused' } };
  }
}

/** The pipeline with this model's rendering: answers as `{status, body, replayed}`. */
export const rendering = (pipeline: CommandPipeline) => ({
  execute: async (command: StockBinding): Promise<TestReply & { replayed: boolean }> => {
    const { reply, replayed } = await pipeline.execute(command, renderStock);
    return { ...reply, replayed };
  },
});
