import { readCheckpoints, type ProjectionChange } from '@tally/projections';
import { EventEmitter } from 'node:events';
import type { Pool } from 'pg';

const POLL_INTERVAL_MS = 100;

/**
 * What each projection has committed, as this process knows it: told at once by an
 * in-process projector, and by polling the checkpoint table for projectors elsewhere.
 */
export class ProjectionPositions {
  private readonly positions = new Map<string, bigint>();
  private readonly events = new EventEmitter();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly pool: Pool) {
    this.events.setMaxListeners(0);
  }

  start(): void {
    const tick = async (): Promise<void> => {
      try {
        const stored = await readCheckpoints(this.pool);
        for (const [name, position] of stored) this.advanced(name, position);
      } catch {
        // The next tick tries again; readers time out with projection_behind meanwhile.
      }
      if (this.timer) this.timer = setTimeout(() => void tick(), POLL_INTERVAL_MS);
    };
    this.timer = setTimeout(() => void tick(), 0);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  current(name: string): bigint {
    return this.positions.get(name) ?? 0n;
  }

  /**
   * A batch this process's projector committed: what it changed over (from, to]. Batch
   * listeners hear it before the position moves, so a listener that applies the changes is
   * already at `to` when position listeners run.
   */
  committed(name: string, from: bigint, to: bigint, changes: readonly ProjectionChange[]): void {
    this.events.emit(`${name}\u0000batch`, from, to, changes);
    this.advanced(name, to);
  }

  /** Calls `listener` with each batch this process's projector commits for `name`. */
  onBatch(
    name: string,
    listener: (from: bigint, to: bigint, changes: readonly ProjectionChange[]) => void,
  ): () => void {
    const event = `${name}\u0000batch`;
    this.events.on(event, listener);
    return () => this.events.off(event, listener);
  }

  advanced(name: string, position: bigint): void {
    if (position <= this.current(name)) return;
    this.positions.set(name, position);
    this.events.emit(name, position);
  }

  /** Live listeners of `name`: SSE streams and read-your-writes waiters still open. */
  listenerCount(name: string): number {
    return this.events.listenerCount(name);
  }

  /** Calls `listener` with each new position of `name`; returns the unsubscribe. */
  on(name: string, listener: (position: bigint) => void): () => void {
    this.events.on(name, listener);
    return () => this.events.off(name, listener);
  }

  /** Resolves true once `name` has processed `position`, false after `timeoutMs`. */
  waitFor(name: string, position: bigint, timeoutMs: number): Promise<boolean> {
    if (this.current(name) >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        off();
        resolve(false);
      }, timeoutMs);
      const off = this.on(name, (reached) => {
        if (reached < position) return;
        clearTimeout(timer);
        off();
        resolve(true);
      });
    });
  }
}
