import type { WakeSource } from '../postgres/all-subscription';
import type { EsdbClient, Watch } from './esdb-client';

const RESUBSCRIBE_DELAY_MS = 1000;

/**
 * One live `$all` subscription per store, fanned out to every page subscription in the
 * process as a wake-up (what LISTEN is to the PostgreSQL store). Pages themselves are read
 * with `readAll`, so a dropped watch only delays them until the next poll.
 */
export class LogWatcher implements WakeSource {
  private readonly wakers = new Set<() => void>();
  private watch: Watch | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly client: EsdbClient) {}

  add(wake: () => void): Promise<() => void> {
    this.wakers.add(wake);
    this.start();
    return Promise.resolve(() => void this.wakers.delete(wake));
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    const watch = this.watch;
    this.watch = undefined;
    await watch?.stop();
  }

  private start(): void {
    if (this.watch || this.closed || this.timer) return;
    this.watch = this.client.watch(
      () => {
        for (const wake of this.wakers) wake();
      },
      () => {
        const dropped = this.watch;
        this.watch = undefined;
        void dropped?.stop();
        if (this.closed) return;
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.start();
        }, RESUBSCRIBE_DELAY_MS);
        this.timer.unref();
      },
    );
  }
}
