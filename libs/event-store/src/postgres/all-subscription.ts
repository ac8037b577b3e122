import type {
  EventSubscription,
  FoldEvent,
  FoldSubscription,
  LogPage,
  RecordedEvent,
} from '../event-store.port';
import { WakeSignal } from './wake-signal';

/** What wakes an idle subscription when the log grows (a LISTEN connection, a live subscription). */
export interface WakeSource {
  /** Registers a wake-up callback; resolves once it is active (or failed: polling covers). */
  add(wake: () => void): Promise<() => void>;
}

export interface PageSubscriptionOptions<E extends FoldEvent> {
  from: bigint;
  batchSize: number;
  /** Fallback poll while no notification arrives (lost connection, foreign transactions). */
  pollIntervalMs: number;
  readPage: (from: bigint, limit: number) => Promise<LogPage<E>>;
  listener: WakeSource;
  onClose?: () => void;
}

/** Follows the log a page at a time, waking on NOTIFY, polling as a fallback. */
export class PageSubscription<E extends FoldEvent> implements FoldSubscription {
  private readonly signal = new WakeSignal();
  protected closed = false;
  private started = false;

  constructor(private readonly options: PageSubscriptionOptions<E>) {}

  close(): Promise<void> {
    this.closed = true;
    this.signal.set();
    this.options.onClose?.();
    return Promise.resolve();
  }

  /**
   * Pages as fetched. After a full page the next one is already being read while the
   * consumer handles this one, so reading and folding overlap when catching up.
   */
  async *pages(): AsyncGenerator<LogPage<E>> {
    if (this.started) throw new Error('a subscription can be iterated only once');
    this.started = true;
    const { batchSize, pollIntervalMs, readPage, listener } = this.options;
    let checkpoint = this.options.from;
    let ahead: Promise<LogPage<E>> | undefined;
    // Listen before the first read, so an append between the read and the wait still wakes us.
    const unlisten = await listener.add(() => this.signal.set());
    try {
      while (!this.closed) {
        let page: LogPage<E>;
        if (ahead) {
          page = await ahead;
          ahead = undefined;
        } else {
          this.signal.reset();
          page = await readPage(checkpoint, batchSize);
        }
        const full = page.events.length >= batchSize;
        const advanced = page.through > checkpoint;
        if (advanced) checkpoint = page.through;
        if (full && !this.closed) {
          ahead = readPage(checkpoint, batchSize);
          // Settled by the next turn, or dropped when the consumer stops first.
          ahead.catch(() => undefined);
        }
        if (advanced) {
          if (this.closed) return;
          yield page;
        }
        if (!full && !this.closed) await this.signal.wait(pollIntervalMs);
      }
    } finally {
      unlisten();
    }
  }
}

export class AllSubscription extends PageSubscription<RecordedEvent> implements EventSubscription {
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
    for await (const page of this.pages()) {
      if (page.events.length > 0) yield page.events;
    }
  }
}
