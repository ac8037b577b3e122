import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

interface Waiting {
  position: bigint;
  ackAt: number;
  measured: boolean;
}

/**
 * Time from a command's acknowledgement to the first committed projection batch whose
 * position reaches the command's reply position.
 */
export class LagTracker {
  private committed = 0n;
  private waiting: Waiting[] = [];
  /** Lags (ms) of the commands acknowledged inside the measured window. */
  readonly lags: number[] = [];

  /** A command acknowledged at `ackAt` whose events end at `position`. */
  acknowledged(position: bigint, ackAt: number, measured: boolean): void {
    // Already projected before the reply was seen: no lag left to wait for.
    if (position <= this.committed) {
      if (measured) this.lags.push(0);
      return;
    }
    this.waiting.push({ position, ackAt, measured });
  }

  /** The projection committed a batch up to `position` at `now`. */
  committedTo(position: bigint, now: number): void {
    if (position <= this.committed) return;
    this.committed = position;
    const still: Waiting[] = [];
    for (const w of this.waiting) {
      if (w.position > position) still.push(w);
      else if (w.measured) this.lags.push(now - w.ackAt);
    }
    this.waiting = still;
  }

  /** True once every acknowledged command is projected; false after `timeoutMs`. */
  async drained(timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (this.waiting.length > 0) {
      if (performance.now() > deadline) return false;
      await sleep(10);
    }
    return true;
  }
}
