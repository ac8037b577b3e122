import type { Measurement } from '../lib/measure';
import { measure } from '../lib/measure';
import { countRows } from '../lib/postgres';
import { formatNumber, writeResults } from '../lib/report';
import type { BenchContext, BenchModule } from '../lib/scenario';
import type { ScenarioResult } from '../lib/summary';
import { emmettSystem } from './emmett';
import type { CellResult } from './report';
import { appendTable } from './report';
import type { AppendSystem } from './system';
import { tallySystem } from './tally';
import type { Workload } from './workloads';
import { WORKLOADS } from './workloads';

const WRITERS = [1, 8, 64] as const;
/** A quick run keeps the 64-writer column only. */
const QUICK_WRITERS = [64] as const;
const POOL_SIZE = 64;
const SYSTEMS: readonly AppendSystem[] = [tallySystem, emmettSystem];

interface Cell {
  workload: Workload;
  writers: number;
  system: AppendSystem;
  url: string;
}

async function runCell(
  context: BenchContext,
  cell: Cell,
  label: string,
): Promise<Measurement & { missing: number }> {
  const { workload, writers, system, url } = cell;
  const before = await countRows(url, system.eventsTable);
  const session = await system.open(url, POOL_SIZE);
  let result: Measurement;
  try {
    const id = `${workload.name}-${writers}`;
    const attempts = Array.from({ length: writers }, (_, w) => workload.writer(session, id, w));
    result = await measure(attempts, context.timing, (f) => context.progress.update(label, f));
  } finally {
    await session.close();
  }
  const stored = (await countRows(url, system.eventsTable)) - before;
  if (stored !== result.succeeded) {
    context.progress.line(
      `WARNING ${label}: the bench counted ${result.succeeded} appends but ${system.eventsTable} gained ${stored} rows`,
    );
  }
  return { ...result, missing: Math.max(0, result.succeeded - stored) };
}

async function run(context: BenchContext): Promise<ScenarioResult[]> {
  const workloads = WORKLOADS.filter((w) => context.selects(`append/${w.name}`));
  const { progress, server, timing } = context;
  if (server.maxConnections < POOL_SIZE + 8) {
    progress.line(
      `WARNING: max_connections is ${server.maxConnections}; a ${POOL_SIZE}-connection pool may not fit`,
    );
  }
  const urls = new Map<AppendSystem, string>();
  for (const system of SYSTEMS) {
    const url = await context.databases.create(system.name);
    await system.setup(url);
    urls.set(system, url);
  }

  const writerCounts: readonly number[] = context.options.quick ? QUICK_WRITERS : WRITERS;
  const cells: Cell[] = workloads.flatMap((workload) =>
    writerCounts.flatMap((writers) =>
      SYSTEMS.map((system) => ({ workload, writers, system, url: urls.get(system) ?? '' })),
    ),
  );
  const results: CellResult[] = [];
  const summary: ScenarioResult[] = [];
  for (const [index, cell] of cells.entries()) {
    const counter = `[${String(index + 1).padStart(String(cells.length).length)}/${cells.length}]`;
    const label = `${counter} append/${cell.workload.name} w=${cell.writers} ${cell.system.name}`;
    const m = await runCell(context, cell, label);
    summary.push({
      name: `append/${cell.workload.name}/w${cell.writers}`,
      system: cell.system.name,
      opsPerSec: Math.round(m.opsPerSec),
      lost: m.missing,
      oversold: null,
      p50Ms: m.p50Ms === null ? null : Number(m.p50Ms.toFixed(3)),
      p99Ms: m.p99Ms === null ? null : Number(m.p99Ms.toFixed(3)),
      lagP99Ms: null,
      detail: { writers: cell.writers, conflicts: m.conflicts },
    });
    results.push({
      name: `append/${cell.workload.name}`,
      system: cell.system.name,
      writers: cell.writers,
      opsPerSec: Math.round(m.opsPerSec),
      p50Ms: m.p50Ms === null ? null : Number(m.p50Ms.toFixed(3)),
      p99Ms: m.p99Ms === null ? null : Number(m.p99Ms.toFixed(3)),
      conflicts: m.conflicts,
    });
    progress.line(
      `${label.padEnd(48)} ${formatNumber(m.opsPerSec).padStart(7)} ops/s  p50 ${formatNumber(m.p50Ms, 2)} ms  p99 ${formatNumber(m.p99Ms, 2)} ms  conflicts ${m.conflicts}`,
    );
  }

  const seconds = timing.durationMs / 1000;
  console.log(`\n## append: appends per second, one ~100-byte event per append\n`);
  console.log(
    `${seconds} s per cell after ${timing.warmupMs / 1000} s warm-up; pool of ${POOL_SIZE} connections for each store; ` +
      `PostgreSQL ${server.version}, ${context.machine.cpus} CPUs, Node ${context.machine.node}. ` +
      'Latency covers an operation with its retries; conflicts are failed attempts in the window.\n',
  );
  console.log(appendTable(results));
  console.log('');
  for (const w of workloads) console.log(`- ${w.name}: ${w.description}`);
  for (const note of SYSTEMS.flatMap((s) => s.notes)) console.log(`- ${note}`);

  const path = await writeResults('append', {
    scenarios: results,
    machine: context.machine,
    settings: { warmupMs: timing.warmupMs, durationMs: timing.durationMs, poolSize: POOL_SIZE },
    generatedAt: new Date().toISOString(),
  });
  progress.line(`wrote ${path}`);
  return summary;
}

export const appendBenchmark: BenchModule = {
  name: 'append',
  description: 'appends per second, Tally vs @event-driven-io/emmett-postgresql',
  scenarios: WORKLOADS.map((w) => `append/${w.name}`),
  run,
};
