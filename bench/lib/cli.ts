/** A bad command line: printed without a stack trace. */
export class UsageError extends Error {}

export interface BenchOptions {
  quick: boolean;
  /** Scenario filters from `--only` (comma-separated); undefined runs everything. */
  only: string[] | undefined;
  help: boolean;
  warmupMs: number;
  durationMs: number;
}

export const USAGE = `Usage: node dist/bench/run.js [--quick] [--only <name>[,<name>...]]

  --quick        1 s per cell (0.3 s warm-up) instead of 10 s (2 s warm-up), smaller
                 logs and fewer writer counts: the whole run in about two minutes
  --only <name>  run only these scenarios: a module ("append") or one of its
                 scenarios ("append/hot-occ"); repeatable or comma-separated
  --help         this text

PostgreSQL: DATABASE_URL if set, else postgres://postgres@127.0.0.1:5432 if reachable,
else an embedded server (the same one Tally starts without DATABASE_URL).`;

export function parseArgs(argv: readonly string[]): BenchOptions {
  let quick = false;
  let help = false;
  const only: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--quick') quick = true;
    else if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg === '--only' ? argv[++i] : arg.slice('--only='.length);
      if (value === undefined || value === '') throw new UsageError('--only needs a scenario name');
      only.push(...value.split(',').filter(Boolean));
    } else {
      throw new UsageError(`unknown argument '${arg}'\n\n${USAGE}`);
    }
  }
  return {
    quick,
    help,
    only: only.length > 0 ? only : undefined,
    warmupMs: quick ? 300 : 2_000,
    durationMs: quick ? 1_000 : 10_000,
  };
}

/** Whether a scenario (or module) `name` is selected by the `--only` filters. */
export function selects(only: readonly string[] | undefined, name: string): boolean {
  if (only === undefined) return true;
  return only.some(
    (term) => term === name || name.startsWith(`${term}/`) || term.startsWith(`${name}/`),
  );
}
