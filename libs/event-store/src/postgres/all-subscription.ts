import type { EventSubscription, RecordedEvent } from '../event-store.port';
import type { LogListener } from './log-listener';
import { WakeSignal } from './wake-signal';

export interface AllSubscriptionOptions {
  from: bigint;
  batchSize: number;
  /** Fallback poll while no notification arrives (lost connection, foreign transactions). */
  pollIntervalMs: number;
  readAll: (from: bigint, limit: number) => Promise<RecordedEvent[]>;
  listener: LogListener;
  onClose?: () => void;
}

export class AllSubscription implements EventSubscription {
  private readonly signal = new WakeSignal();
  private closed = false;
  private started = false;

  constructor(private readonly options: AllSubscriptionOptions) {}

  close(): Promise<void> {
    this.closed = true;
    this.signal.set();
    this.options.onClose?.();
    return Promise.resolve();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    for await (const batch of this.batches()) {
      for (const event of batch) {
        if (this.closed) return;
        yield event;
      }
    }
  }

  /** The log a page at a time, as fetched: what a projector folds in one transaction. */
  async *batches(): AsyncGenerator<readonly RecordedEvent[]> {
    if (this.started) throw new Error('a subscription can be iterated only once');
    this.started = true;
    const { batchSize, pollIntervalMs, readAll, listener } = this.options;
    let checkpoint = this.options.from;
    // Listen before the first read, so an append between the read and the wait still wakes us.
    const unlisten = await listener.add(() => this.signal.set());
    try {
      while (!this.closed) {
        this.signal.reset();
        const batch = await readAll(checkpoint, batchSize);
        const last = batch[batch.length - 1];
        if (last) {
          checkpoint = last.position;
          if (this.closed) return;
          yield batch;
        }
        if (batch.length < batchSize && !this.closed) await this.signal.wait(pollIntervalMs);
      }
    } finally {
      unlisten();
    }
  }
}
