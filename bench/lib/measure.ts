import { performance } from 'node:perf_hooks';

/** One try at an operation: true when it took effect, false on a (retryable) conflict. */
export type Attempt = () => Promise<boolean>;

export interface Timing {
  warmupMs: number;
  durationMs: number;
  /**
   * Keep measuring past `durationMs` until this many operations completed in the window
   * (bounded by `maxMs`); the window then ends at the completion of that operation.
   */
  minOps?: number;
  /** Upper bound of the window when `minOps` is set. */
  maxMs?: number;
}

export interface Measurement {
  /** Operations completed inside the measured window, per second. */
  opsPerSec: number;
  /** Latency of an operation including its retries; null when none completed. */
  p50Ms: number | null;
  p99Ms: number | null;
  /** Conflicts (failed attempts) inside the measured window. */
  conflicts: number;
  measuredOps: number;
  /** Length of the measured window (durationMs, or longer to reach minOps). */
  windowMs: number;
  /** The window on the performance.now() clock. */
  windowStart: number;
  windowEnd: number;
  /** Every successful attempt, warm-up and drain included: what the database must hold. */
  succeeded: number;
}

/** Nearest-rank percentile of ascending `sorted`. */
export function percentile(sorted: Float64Array, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? null;
}

/**
 * Runs one closed loop per writer: warm-up, then `durationMs` measured (longer, up to `maxMs`,
 * until `minOps` operations completed when that is set). An operation is retried
 * on conflict until it succeeds (or the window ends); it is measured when it completes inside
 * the window. Writers stop issuing work at the end and their in-flight attempt is awaited.
 */
export async function measure(
  writers: readonly Attempt[],
  timing: Timing,
  onProgress: (fraction: number) => void,
): Promise<Measurement> {
  const began = performance.now();
  const start = began + timing.warmupMs;
  const minOps = timing.minOps ?? 0;
  const minEnd = start + timing.durationMs;
  let end = minOps > 0 ? start + Math.max(timing.durationMs, timing.maxMs ?? 0) : minEnd;
  const latencies: number[] = [];
  let conflicts = 0;
  let succeeded = 0;
  let failure: { error: unknown } | undefined;

  const loop = async (attempt: Attempt): Promise<void> => {
    while (failure === undefined && performance.now() < end) {
      const opStart = performance.now();
      for (;;) {
        const ok = await attempt();
        const now = performance.now();
        const inWindow = now >= start && now <= end;
        if (ok) {
          succeeded++;
          if (inWindow) {
            latencies.push(now - opStart);
            if (minOps > 0 && latencies.length >= minOps && now >= minEnd) end = now;
          }
          break;
        }
        if (inWindow) conflicts++;
        if (now >= end || failure !== undefined) break;
      }
    }
  };

  // The window closes once both the duration and (when set) minOps are reached.
  const ticker = setInterval(() => {
    const byTime = (performance.now() - began) / (minEnd - began);
    onProgress(minOps > 0 ? Math.min(byTime, latencies.length / minOps) : byTime);
  }, 100);
  try {
    await Promise.all(
      writers.map((attempt) =>
        loop(attempt).catch((error: unknown) => {
          failure ??= { error };
        }),
      ),
    );
  } finally {
    clearInterval(ticker);
  }
  if (failure !== undefined) throw failure.error;

  const sorted = Float64Array.from(latencies).sort();
  const windowMs = end - start;
  return {
    opsPerSec: latencies.length / (windowMs / 1000),
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    conflicts,
    measuredOps: latencies.length,
    windowMs,
    windowStart: start,
    windowEnd: end,
    succeeded,
  };
}
