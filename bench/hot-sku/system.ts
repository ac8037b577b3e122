import { performance } from 'node:perf_hooks';
import type { Pool } from 'pg';
import type { Attempt, Timing } from '../lib/measure';

/** Stock of the hot item: far more than any window can sell. */
export const INITIAL_STOCK = 100_000_000;
export const HOT_SKU = 'HOT-SKU-1';

export type SystemName =
  'tally-group-commit' | 'tally-no-group-commit' | 'tally-occ-retry' | 'for-update';

/** What the database holds after a cell, read back for the exactness check. */
export interface StockCheck {
  /** Stock when the item was listed and stock now. */
  before: number;
  after: number;
  /** Purchases the database recorded (Purchased events; for a plain row, before − after). */
  recorded: number;
  /** Units sold beyond the stock: how far the stock ever went below zero. */
  oversold: number;
  /** Purchases whose recorded remaining stock is not the stock before minus the sales so far. */
  lostUpdates: number;
  /** Transactions that wrote the purchases (group commit writes many per transaction). */
  transactions: number;
}

/** Counts events of a cell in total and inside the measured window. */
export class WindowCounter {
  private start = Number.POSITIVE_INFINITY;
  private end = Number.NEGATIVE_INFINITY;
  total = 0;
  inWindow = 0;
  readonly codes = new Map<string, number>();

  /** Call right before `measure(…, timing, …)`: the same window on the same clock. */
  arm(timing: Timing): void {
    this.start = performance.now() + timing.warmupMs;
    this.end = this.start + timing.durationMs;
  }

  add(code = 'conflict'): void {
    this.total++;
    this.codes.set(code, (this.codes.get(code) ?? 0) + 1);
    const now = performance.now();
    if (now >= this.start && now <= this.end) this.inWindow++;
  }
}

export interface CellCounters {
  /** Conflicts retried (by the client or inside the pipeline). */
  conflicts: WindowCounter;
  /** Purchases answered with anything but success (retried by the client). */
  failures: WindowCounter;
}

/** One pool (and store or pipeline), opened per cell and closed after it. */
export interface HotSkuSession {
  pool: Pool;
  /** One purchase of quantity 1 by client `writer`: true when it took effect. */
  purchaser(writer: number): Attempt;
  check(): Promise<StockCheck>;
  close(): Promise<void>;
}

export interface HotSkuSystem {
  name: SystemName;
  description: string;
  /** Connections a cell with `writers` clients holds at once: opened before the clock starts. */
  connections(writers: number): number;
  /** Creates the schema and lists the hot item with INITIAL_STOCK in the fresh database. */
  setup(url: string): Promise<void>;
  open(url: string, poolSize: number, counters: CellCounters): Promise<HotSkuSession>;
}
