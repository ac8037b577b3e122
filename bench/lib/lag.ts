import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile } from './measure';

interface Waiting {
  position: bigint;
  ackAt: number;
}

/**
 * Time from a command's acknowledgement to the first committed projection batch whose
 * position reaches the command's reply position; every ack is kept with its time, so the
 * measured window can be chosen afterwards.
 */
export class LagRecorder {
  private committed = 0n;
  private waiting: Waiting[] = [];
  private readonly samples: { ackAt: number; lagMs: number }[] = [];

  /** A command acknowledged at `ackAt` whose events end at `position`. */
  acknowledged(position: bigint, ackAt: number = performance.now()): void {
    if (position <= this.committed) this.samples.push({ ackAt, lagMs: 0 });
    else this.waiting.push({ position, ackAt });
  }

  /** The projection committed a batch up to `position`. */
  committedTo(position: bigint, now: number = performance.now()): void {
    if (position <= this.committed) return;
    this.committed = position;
    const still: Waiting[] = [];
    for (const w of this.waiting) {
      if (w.position > position) still.push(w);
      else this.samples.push({ ackAt: w.ackAt, lagMs: now - w.ackAt });
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

  /** Lag percentiles of the acks inside [start, end]. */
  stats(start: number, end: number): { p50: number | null; p99: number | null; samples: number } {
    const lags = Float64Array.from(
      this.samples.filter((s) => s.ackAt >= start && s.ackAt <= end).map((s) => s.lagMs),
    ).sort();
    return { p50: percentile(lags, 50), p99: percentile(lags, 99), samples: lags.length };
  }
}
