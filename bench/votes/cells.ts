import { loadavg } from 'node:os';
import { warmPool } from '../hot-sku/pool';
import type { Timing } from '../lib/measure';
import { measure } from '../lib/measure';
import { formatNumber } from '../lib/report';
import type { BenchContext } from '../lib/scenario';
import type { ScenarioResult } from '../lib/summary';
import { ms } from '../lib/summary';
import type { VoteLoad, VoteSystem } from './system';

export const POOL_SIZE = 64;
export const CLIENTS = 64;

const load1 = (): string => (loadavg()[0] ?? 0).toFixed(2);

/** Votes by `CLIENTS` closed-loop clients against `system`, in a fresh database. */
export async function runVoteCell(
  context: BenchContext,
  scenario: string,
  system: VoteSystem,
  load: VoteLoad,
  timing: Timing,
  label: string,
): Promise<ScenarioResult> {
  const url = await context.databases.create(`${scenario}_${system.name}`.replace(/\W/g, '_'));
  await system.setup(url, load);
  const session = await system.open(url, POOL_SIZE, load);
  try {
    await warmPool(session.pool, POOL_SIZE, (line) => context.progress.line(line));
    const attempts = Array.from({ length: CLIENTS }, (_, c) => session.voter(c));
    const m = await measure(attempts, timing, (f) => context.progress.update(label, f));
    const check = await session.check({ start: m.windowStart, end: m.windowEnd });
    if (check.problems.length > 0 && system.name !== 'naive-rmw') {
      context.progress.line(`NOT EXACT ${label}: ${check.problems.slice(0, 5).join('; ')}`);
    }
    context.progress.line(
      `${label.padEnd(40)} ${formatNumber(m.opsPerSec).padStart(7)} votes/s  p50 ${formatNumber(m.p50Ms, 2)} ms  p99 ${formatNumber(m.p99Ms, 2)} ms  lost ${formatNumber(check.lost)}` +
        (check.lagP99Ms === null ? '' : `  lag p99 ${formatNumber(check.lagP99Ms, 1)} ms`) +
        (check.perTransaction === null
          ? ''
          : `  per txn ${formatNumber(check.perTransaction, 1)}`) +
        `  load ${load1()}`,
    );
    return {
      name: scenario,
      system: system.name,
      opsPerSec: Math.round(m.opsPerSec),
      lost: check.lost,
      oversold: null,
      p50Ms: ms(m.p50Ms),
      p99Ms: ms(m.p99Ms),
      lagP99Ms: ms(check.lagP99Ms),
      detail: {
        clients: CLIENTS,
        votes: m.measuredOps,
        windowMs: Math.round(m.windowMs),
        acknowledged: check.acknowledged,
        counted: check.counted,
        exact: check.problems.length === 0,
        lagP50Ms: ms(check.lagP50Ms),
        lagSamples: check.lagSamples,
        perTransaction:
          check.perTransaction === null ? null : Number(check.perTransaction.toFixed(1)),
      },
    };
  } finally {
    await session.close();
  }
}
