import type { Pool } from 'pg';

export interface IdempotencyJanitorOptions {
  pool: Pool;
  /** Keys older than this are deleted; the contract promises at least 24 h. */
  ttlHours: number;
  everyMs?: number;
  /** Rows per DELETE, so a large backlog never holds one long transaction. */
  batch?: number;
  onSwept?: (deleted: number) => void;
  onError?: (error: unknown) => void;
}

/** Deletes expired Idempotency-Keys in the background; several processes may run one. */
export class IdempotencyJanitor {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(private readonly options: IdempotencyJanitorOptions) {
    if (!(options.ttlHours >= 24))
      throw new RangeError('idempotency keys must live at least 24 hours');
  }

  start(): void {
    const every = this.options.everyMs ?? 15 * 60_000;
    const tick = (): void => {
      this.running = this.sweep().catch((error: unknown) => {
        this.options.onError?.(error);
        return 0;
      });
      void this.running.finally(() => {
        if (this.timer) this.timer = setTimeout(tick, every).unref();
      });
    };
    this.timer = setTimeout(tick, Math.min(every, 60_000)).unref();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Deletes every expired key, a batch at a time; returns how many. */
  async sweep(): Promise<number> {
    const batch = this.options.batch ?? 5000;
    let deleted = 0;
    for (;;) {
      const { rowCount } = await this.options.pool.query(
        `DELETE FROM tally_idempotency WHERE key IN (
           SELECT key FROM tally_idempotency
            WHERE created_at < now() - make_interval(hours => $1)
            LIMIT $2 FOR UPDATE SKIP LOCKED)`,
        [this.options.ttlHours, batch],
      );
      deleted += rowCount ?? 0;
      if ((rowCount ?? 0) < batch) break;
    }
    if (deleted > 0) this.options.onSwept?.(deleted);
    return deleted;
  }
}
