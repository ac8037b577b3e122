import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool } from 'pg';
import { percentile } from '../lib/measure';

interface Waiting {
  revision: number;
  ackAt: number;
}

/** At most this many streams per look-up; the rest wait for the next tick. */
const MAX_LOOKUP = 5_000;

/**
 * Watches the Kafka-mode read model from outside the projector processes. A stream's applied
 * revision (tally_kafka_stream_progress) commits in the same transaction as the read tables,
 * so a command is visible once its stream's row reaches the revision it answered. Polled
 * every `intervalMs`: a lag is an upper bound, late by at most one interval and a query.
 */
export class Visibility {
  private readonly waiting = new Map<string, Waiting[]>();
  private readonly samples: { ackAt: number; lagMs: number }[] = [];
  private loop: Promise<void> | undefined;
  private running = false;

  constructor(
    private readonly pool: Pool,
    private readonly groupId: string,
    private readonly intervalMs = 10,
  ) {}

  /** A command acknowledged at `ackAt` whose event is its stream's `revision`. */
  acknowledged(streamId: string, revision: number, ackAt: number): void {
    const list = this.waiting.get(streamId);
    if (list) list.push({ revision, ackAt });
    else this.waiting.set(streamId, [{ revision, ackAt }]);
  }

  get pending(): number {
    return this.waiting.size;
  }

  start(): void {
    this.running = true;
    this.loop = this.follow();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Lag percentiles of the commands acknowledged inside [start, end]. */
  lagStats(
    start: number,
    end: number,
  ): { p50: number | null; p99: number | null; max: number | null; samples: number } {
    const lags = Float64Array.from(
      this.samples.filter((s) => s.ackAt >= start && s.ackAt <= end).map((s) => s.lagMs),
    ).sort();
    return {
      p50: percentile(lags, 50),
      p99: percentile(lags, 99),
      max: lags.length > 0 ? (lags[lags.length - 1] ?? null) : null,
      samples: lags.length,
    };
  }

  private async follow(): Promise<void> {
    while (this.running) {
      await this.look();
      await sleep(this.intervalMs);
    }
  }

  private async look(): Promise<void> {
    if (this.waiting.size === 0) return;
    const streams = [...this.waiting.keys()].slice(0, MAX_LOOKUP);
    const applied = await this.pool.query<{ stream_id: string; revision: string }>(
      'SELECT stream_id, revision::text FROM tally_kafka_stream_progress WHERE group_id = $1 AND stream_id = ANY($2::text[])',
      [this.groupId, streams],
    );
    const now = performance.now();
    for (const row of applied.rows) {
      const list = this.waiting.get(row.stream_id) ?? [];
      const revision = Number(row.revision);
      const still = list.filter((w) => w.revision > revision);
      for (const w of list)
        if (w.revision <= revision) this.samples.push({ ackAt: w.ackAt, lagMs: now - w.ackAt });
      if (still.length > 0) this.waiting.set(row.stream_id, still);
      else this.waiting.delete(row.stream_id);
    }
  }
}
