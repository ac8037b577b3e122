import { randomInt } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { warmPool } from '../hot-sku/pool';
import type { Measurement, Timing } from '../lib/measure';
import { measure, percentile } from '../lib/measure';
import { formatNumber } from '../lib/report';
import type { BenchContext } from '../lib/scenario';
import type { ScenarioResult } from '../lib/summary';
import { ms } from '../lib/summary';
import type { SkuCheck, SkuLoad, SkuSession, SkuSystem } from './system';

export const POOL_SIZE = 64;
export const CLIENTS = 64;

const load1 = (): string => (loadavg()[0] ?? 0).toFixed(2);

async function opened(
  context: BenchContext,
  scenario: string,
  system: SkuSystem,
  load: SkuLoad,
): Promise<SkuSession> {
  const url = await context.databases.create(`${scenario}_${system.name}`.replace(/\W/g, '_'));
  await system.setup(url, load);
  const session = await system.open(url, POOL_SIZE, load);
  await warmPool(session.pool, POOL_SIZE, (line) => context.progress.line(line));
  return session;
}

function report(
  context: BenchContext,
  scenario: string,
  system: SkuSystem,
  label: string,
  m: Pick<Measurement, 'opsPerSec' | 'p50Ms' | 'p99Ms' | 'measuredOps' | 'windowMs'>,
  check: SkuCheck,
  extra: Record<string, number | boolean | null> = {},
): ScenarioResult {
  if (check.problems.length > 0) {
    context.progress.line(`NOT EXACT ${label}: ${check.problems.slice(0, 5).join('; ')}`);
  }
  context.progress.line(
    `${label.padEnd(40)} ${formatNumber(m.opsPerSec).padStart(7)} purchases/s  p50 ${formatNumber(m.p50Ms, 2)} ms  p99 ${formatNumber(m.p99Ms, 2)} ms  oversold ${check.oversold}` +
      (check.lagP99Ms === null ? '' : `  lag p99 ${formatNumber(check.lagP99Ms, 1)} ms`) +
      (check.perTransaction === null ? '' : `  per txn ${formatNumber(check.perTransaction, 1)}`) +
      `  load ${load1()}`,
  );
  return {
    name: scenario,
    system: system.name,
    opsPerSec: Math.round(m.opsPerSec),
    lost: check.lost,
    oversold: check.oversold,
    p50Ms: ms(m.p50Ms),
    p99Ms: ms(m.p99Ms),
    lagP99Ms: ms(check.lagP99Ms),
    detail: {
      clients: CLIENTS,
      purchases: m.measuredOps,
      windowMs: Math.round(m.windowMs),
      acknowledged: check.acknowledged,
      sold: check.sold,
      exact: check.problems.length === 0,
      lagP50Ms: ms(check.lagP50Ms),
      lagSamples: check.lagSamples,
      perTransaction:
        check.perTransaction === null ? null : Number(check.perTransaction.toFixed(1)),
      ...extra,
    },
  };
}

/** Purchases of a random SKU of `load` by closed-loop clients (the stock never runs out). */
export async function runSpreadSkuCell(
  context: BenchContext,
  scenario: string,
  system: SkuSystem,
  load: SkuLoad,
  timing: Timing,
  label: string,
): Promise<ScenarioResult> {
  const session = await opened(context, scenario, system, load);
  try {
    const attempts = Array.from({ length: CLIENTS }, (_, client) => async () => {
      const { sku } = load.items[randomInt(load.items.length)]!;
      if ((await session.purchase(sku, client)) === 'sold') return true;
      throw new Error(`${sku} ran out of stock`);
    });
    const m = await measure(attempts, timing, (f) => context.progress.update(label, f));
    const check = await session.check({ start: m.windowStart, end: m.windowEnd });
    return report(context, scenario, system, label, m, check);
  } finally {
    await session.close();
  }
}

/**
 * The hot SKU sold out: after a warm-up on another SKU, `CLIENTS` clients buy `hot` one
 * unit at a time until each is told out_of_stock (or `capMs` passed). Purchases per second
 * are the units sold over the time to the last sale.
 */
export async function runSellOutCell(
  context: BenchContext,
  scenario: string,
  system: SkuSystem,
  load: SkuLoad,
  hot: string,
  warm: string,
  timing: Timing,
  capMs: number,
  label: string,
): Promise<ScenarioResult> {
  const session = await opened(context, scenario, system, load);
  const stock = load.items.find((i) => i.sku === hot)?.stock ?? 0;
  try {
    const warmEnd = performance.now() + timing.warmupMs;
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        while (performance.now() < warmEnd) await session.purchase(warm, client);
      }),
    );
    const latencies: number[] = [];
    const start = performance.now();
    const cap = start + capMs;
    let lastSale = start;
    let soldOut = 0;
    const ticker = setInterval(
      () =>
        context.progress.update(
          label,
          Math.max(latencies.length / stock, (performance.now() - start) / capMs),
        ),
      100,
    );
    try {
      await Promise.all(
        Array.from({ length: CLIENTS }, async (_, client) => {
          while (performance.now() < cap) {
            const began = performance.now();
            const outcome = await session.purchase(hot, client);
            const now = performance.now();
            if (outcome === 'out_of_stock') {
              soldOut++;
              return;
            }
            latencies.push(now - began);
            if (now > lastSale) lastSale = now;
          }
        }),
      );
    } finally {
      clearInterval(ticker);
    }
    const allTold = soldOut === CLIENTS;
    const end = allTold ? lastSale : Math.min(cap, performance.now());
    const windowMs = end - start;
    const sorted = Float64Array.from(latencies).sort();
    const m = {
      opsPerSec: latencies.length / (windowMs / 1000),
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      measuredOps: latencies.length,
      windowMs,
    };
    const check = await session.check({ start, end });
    if (allTold && latencies.length !== stock) {
      check.problems.push(
        `every client was told out_of_stock after ${latencies.length} of ${stock} sold`,
      );
    }
    return report(context, scenario, system, label, m, check, { stock, soldOut: allTold });
  } finally {
    await session.close();
  }
}
