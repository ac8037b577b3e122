import { loadavg } from 'node:os';
import type { Measurement } from '../lib/measure';
import { measure } from '../lib/measure';
import { formatNumber, writeResults } from '../lib/report';
import type { BenchContext, BenchModule } from '../lib/scenario';
import type { ScenarioResult } from '../lib/summary';
import { forUpdateSystem } from './for-update';
import { warmPool } from './pool';
import { occSystem } from './occ';
import type { CellResult } from './report';
import { hotSkuTable, withRatios } from './report';
import type { CellCounters, HotSkuSystem, StockCheck } from './system';
import { INITIAL_STOCK, WindowCounter } from './system';
import { groupCommitSystem, noGroupCommitSystem } from './tally';

const WRITERS = [1, 8, 64] as const;
/** A quick run keeps the 64-client row only. */
const QUICK_WRITERS = [64] as const;
const POOL_SIZE = 64;
const SYSTEMS: readonly HotSkuSystem[] = [
  groupCommitSystem,
  noGroupCommitSystem,
  occSystem,
  forUpdateSystem,
];

const NOTES = [
  'tally-occ-retry retries a conflict at once, unbounded and without backoff (the naive handler); the pipeline retries internally with jitter (its conflicts column counts those).',
  'for-update writes one row and nothing else (no event log, no idempotency, no position for projections): the least work a purchase can do, not a like-for-like store.',
  'Closed-loop clients re-enter the queue only after their batch commits, so N clients group-commit in two alternating cohorts of about N/2 (per txn).',
];

const scenarioName = (system: HotSkuSystem): string => `hot-sku/${system.name}`;
const load1 = (): string => (loadavg()[0] ?? 0).toFixed(2);

interface Cell {
  system: HotSkuSystem;
  writers: number;
}

interface CellRun {
  m: Measurement;
  check: StockCheck;
  counters: CellCounters;
}

/** A fresh database per cell: schema, the hot item, then `writers` closed-loop clients. */
async function runCell(context: BenchContext, cell: Cell, label: string): Promise<CellRun> {
  const { system, writers } = cell;
  const url = await context.databases.create(`hot_${system.name.replace(/-/g, '_')}_${writers}`);
  await system.setup(url);
  const counters: CellCounters = { conflicts: new WindowCounter(), failures: new WindowCounter() };
  const session = await system.open(url, POOL_SIZE, counters);
  try {
    const connections = Math.min(POOL_SIZE, system.connections(writers));
    await warmPool(session.pool, connections, (line) => context.progress.line(line));
    const attempts = Array.from({ length: writers }, (_, w) => session.purchaser(w));
    counters.conflicts.arm(context.timing);
    counters.failures.arm(context.timing);
    const m = await measure(attempts, context.timing, (f) => context.progress.update(label, f));
    return { m, check: await session.check(), counters };
  } finally {
    await session.close();
  }
}

/** Oversold 0, no lost update, and every successful purchase (warm-up included) is in the stock. */
function verify(context: BenchContext, label: string, run: CellRun): boolean {
  const { m, check, counters } = run;
  const sold = check.before - check.after;
  const problems = [
    check.before !== INITIAL_STOCK ? `stock before is ${check.before}` : '',
    sold !== m.succeeded ? `stock fell by ${sold} for ${m.succeeded} successful purchases` : '',
    check.recorded !== m.succeeded ? `${check.recorded} purchases recorded` : '',
    check.oversold > 0 ? `oversold by ${check.oversold}` : '',
    check.lostUpdates > 0 ? `${check.lostUpdates} purchases carry a wrong remaining stock` : '',
  ].filter(Boolean);
  if (problems.length > 0) context.progress.line(`NOT EXACT ${label}: ${problems.join('; ')}`);
  if (counters.failures.total > 0) {
    const codes = [...counters.failures.codes].map(([code, n]) => `${code} ×${n}`).join(', ');
    context.progress.line(`FAILURES ${label}: ${codes}`);
  }
  return problems.length === 0;
}

async function run(context: BenchContext): Promise<ScenarioResult[]> {
  const { progress, server, timing, machine } = context;
  const systems = SYSTEMS.filter((s) => context.selects(scenarioName(s)));
  if (server.maxConnections < POOL_SIZE + 8) {
    progress.line(
      `WARNING: max_connections is ${server.maxConnections}; a ${POOL_SIZE}-connection pool may not fit`,
    );
  }
  const writerCounts: readonly number[] = context.options.quick ? QUICK_WRITERS : WRITERS;
  const cells: Cell[] = writerCounts.flatMap((writers) =>
    systems.map((system) => ({ system, writers })),
  );
  const measured: CellResult[] = [];
  for (const [index, cell] of cells.entries()) {
    const counter = `[${String(index + 1).padStart(String(cells.length).length)}/${cells.length}]`;
    const label = `${counter} hot-sku w=${cell.writers} ${cell.system.name}`;
    const result = await runCell(context, cell, label);
    const { m, check, counters } = result;
    measured.push({
      name: scenarioName(cell.system),
      system: cell.system.name,
      writers: cell.writers,
      opsPerSec: Math.round(m.opsPerSec),
      p50Ms: m.p50Ms === null ? null : Number(m.p50Ms.toFixed(3)),
      p99Ms: m.p99Ms === null ? null : Number(m.p99Ms.toFixed(3)),
      conflicts: counters.conflicts.inWindow,
      oversold: check.oversold,
      perTransaction: Number((check.recorded / Math.max(1, check.transactions)).toFixed(1)),
      failures: counters.failures.inWindow,
      exact: verify(context, label, result),
      vsForUpdate: null,
    });
    progress.line(
      `${label.padEnd(44)} ${formatNumber(m.opsPerSec).padStart(7)} ops/s  p50 ${formatNumber(m.p50Ms, 2)} ms  p99 ${formatNumber(m.p99Ms, 2)} ms  conflicts ${counters.conflicts.inWindow}  per txn ${formatNumber(check.recorded / Math.max(1, check.transactions), 1)}  load ${load1()}`,
    );
  }
  const results = withRatios(measured);

  console.log(`\n## hot-sku: purchases per second of one SKU, quantity 1 each\n`);
  console.log(
    `${timing.durationMs / 1000} s per cell after ${timing.warmupMs / 1000} s warm-up; each cell in a fresh database; ` +
      `pool of ${POOL_SIZE} connections; stock ${formatNumber(INITIAL_STOCK)}; PostgreSQL ${server.version}, ` +
      `${machine.cpus} CPUs, Node ${machine.node}; load average ${machine.loadAverage} at start, ${load1()} at end. ` +
      'Latency covers a purchase with its retries; conflicts and failures are counted in the window; ' +
      'per txn: purchases per writing transaction; ' +
      'exact: stock before − stock after = successful purchases (warm-up included) = recorded purchases, none oversold.\n',
  );
  console.log(hotSkuTable(results));
  console.log('');
  for (const s of systems) console.log(`- ${s.name}: ${s.description}`);
  for (const note of NOTES) console.log(`- ${note}`);

  const path = await writeResults('hot-sku', {
    scenarios: results,
    machine,
    settings: {
      warmupMs: timing.warmupMs,
      durationMs: timing.durationMs,
      poolSize: POOL_SIZE,
      stock: INITIAL_STOCK,
      loadAverageAtEnd: Number(load1()),
    },
    generatedAt: new Date().toISOString(),
  });
  progress.line(`wrote ${path}`);
  return results.map((r) => ({
    name: `hot-sku/w${r.writers}`,
    system: r.system,
    opsPerSec: r.opsPerSec,
    lost: r.exact ? 0 : null,
    oversold: r.oversold,
    p50Ms: r.p50Ms,
    p99Ms: r.p99Ms,
    lagP99Ms: null,
    detail: {
      writers: r.writers,
      conflicts: r.conflicts,
      perTransaction: r.perTransaction,
      exact: r.exact,
      vsForUpdate: r.vsForUpdate,
    },
  }));
}

export const hotSkuBenchmark: BenchModule = {
  name: 'hot-sku',
  description:
    'purchases per second on one hot SKU: Tally pipeline with/without group commit, naive OCC, SELECT … FOR UPDATE',
  scenarios: SYSTEMS.map(scenarioName),
  run,
};
