import type { BenchOptions } from './cli';
import type { Timing } from './measure';
import type { BenchDatabases, ServerInfo } from './postgres';
import type { Progress } from './progress';
import type { Machine } from './report';
import type { ScenarioResult } from './summary';

export interface BenchContext {
  options: BenchOptions;
  timing: Timing;
  databases: BenchDatabases;
  server: ServerInfo;
  machine: Machine;
  progress: Progress;
  /** Whether `--only` selects this scenario name (e.g. "append/hot-occ"). */
  selects(name: string): boolean;
}

/**
 * A benchmark module run by bench/run.ts; it prints its own table and writes its results.
 * What `run` returns goes into bench/results/latest.json (a module may return nothing).
 */
export interface BenchModule {
  name: string;
  description: string;
  /** Selectable scenario names, each prefixed with the module name. */
  scenarios: readonly string[];
  run(context: BenchContext): Promise<readonly ScenarioResult[] | void>;
}
