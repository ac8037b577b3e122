import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { appendBenchmark } from './append';
import { hotCounterBenchmark } from './hot-counter';
import { hotSkuBenchmark } from './hot-sku';
import { httpBenchmark } from './http';
import { kafkaBenchmark } from './kafka';
import { USAGE, UsageError, parseArgs, selects } from './lib/cli';
import { writeLatest } from './lib/latest';
import { BenchDatabases, resolveAdminServer, serverInfo } from './lib/postgres';
import { Progress } from './lib/progress';
import { machineInfo } from './lib/report';
import type { BenchModule } from './lib/scenario';
import type { ScenarioResult } from './lib/summary';
import { resultsOfFile } from './lib/summary';
import { limitBenchmark } from './limit';
import { liveBenchmark } from './live';
import { projectionsBenchmark } from './projections';
import { rebuildBenchmark } from './rebuild';
import { replayBenchmark } from './replay';
import { selloutBenchmark } from './sellout';
import { spreadBenchmark } from './spread';

/** Every benchmark module, run in this order; the scenarios first. */
const MODULES: readonly BenchModule[] = [
  limitBenchmark,
  hotCounterBenchmark,
  selloutBenchmark,
  spreadBenchmark,
  replayBenchmark,
  rebuildBenchmark,
  httpBenchmark,
  liveBenchmark,
  appendBenchmark,
  hotSkuBenchmark,
  projectionsBenchmark,
  kafkaBenchmark,
];

let interrupted = false;

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const known = MODULES.flatMap((m) => [m.name, ...m.scenarios]);
  const unknown = (options.only ?? []).filter(
    (term) => !known.some((name) => selects([term], name)),
  );
  if (unknown.length > 0) {
    throw new UsageError(
      `--only: no scenario named ${unknown.join(', ')}; known: ${known.join(', ')}`,
    );
  }
  const modules = MODULES.filter((m) => selects(options.only, m.name));

  const progress = new Progress();
  const admin = await resolveAdminServer((line) => progress.line(line));
  const databases = new BenchDatabases(admin.adminUrl);
  process.once('SIGINT', () => {
    interrupted = true;
    progress.line('interrupted: dropping the bench databases');
    void databases.dropAll().finally(() => process.exit(130));
  });
  try {
    const server = await serverInfo(admin.adminUrl);
    const machine = machineInfo(server.version);
    progress.line(
      `PostgreSQL ${server.version} via ${admin.source}; ${options.quick ? 'quick run' : 'full run'}`,
    );
    if (machine.loadAverage > machine.cpus / 2) {
      progress.line(
        `WARNING: load average ${machine.loadAverage} on ${machine.cpus} CPUs; results will be noisy`,
      );
    }
    const timing = { warmupMs: options.warmupMs, durationMs: options.durationMs };
    const began = performance.now();
    const startedAt = new Date().toISOString();
    const results: ScenarioResult[] = [];
    const failures: string[] = [];
    for (const bench of modules) {
      progress.line(`${bench.name}: ${bench.description}`);
      const moduleStarted = Date.now();
      try {
        const returned = await bench.run({
          options,
          timing,
          databases,
          server,
          machine,
          progress,
          selects: (name) => selects(options.only, name),
        });
        // A module that returns nothing may have written bench/results/<name>.json.
        results.push(...(returned ?? (await resultsOfFile(bench.name, moduleStarted))));
        progress.line(
          `${bench.name}: done in ${Math.round((Date.now() - moduleStarted) / 1000)} s`,
        );
      } catch (error) {
        if (interrupted) throw error;
        const reason = error instanceof Error ? error.message : String(error);
        failures.push(`${bench.name}: ${reason}`);
        progress.line(`FAILED ${bench.name}: ${reason}`);
      } finally {
        // Each module's databases go once it is done: a full run writes gigabytes.
        await databases.dropAll();
      }
    }
    const seconds = (performance.now() - began) / 1000;
    const stem = options.only === undefined ? 'latest' : 'partial';
    const paths = await writeLatest(stem, results, machine, {
      quick: options.quick,
      only: options.only ?? null,
      warmupMs: timing.warmupMs,
      durationMs: timing.durationMs,
      poolSize: 64,
      clients: 64,
      startedAt,
      seconds: Math.round(seconds),
      loadAverageAtEnd: Number((loadavg()[0] ?? 0).toFixed(2)),
      failures,
    });
    progress.line(`wrote ${paths.join(', ')} (${Math.round(seconds)} s)`);
    if (failures.length > 0) process.exitCode = 1;
  } finally {
    await databases.dropAll();
    await admin.close();
  }
}

main().catch((error: unknown) => {
  if (interrupted) return;
  if (error instanceof UsageError) console.error(error.message);
  else console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
