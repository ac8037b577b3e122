import { appendBenchmark } from './append';
import { hotSkuBenchmark } from './hot-sku';
import { kafkaBenchmark } from './kafka';
import { USAGE, UsageError, parseArgs, selects } from './lib/cli';
import { BenchDatabases, resolveAdminServer, serverInfo } from './lib/postgres';
import { Progress } from './lib/progress';
import { machineInfo } from './lib/report';
import type { BenchModule } from './lib/scenario';
import { projectionsBenchmark } from './projections';

/** Every benchmark module, run in this order. */
const MODULES: readonly BenchModule[] = [
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
    for (const bench of modules) {
      progress.line(`${bench.name}: ${bench.description}`);
      await bench.run({
        options,
        timing,
        databases,
        server,
        machine,
        progress,
        selects: (name) => selects(options.only, name),
      });
    }
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
