import type { Timing } from '../lib/measure';
import { formatNumber } from '../lib/report';
import type { BenchContext, BenchModule } from '../lib/scenario';
import type { ScenarioResult } from '../lib/summary';
import { OPTION_IDS } from '../projections/setup';
import { CLIENTS, POOL_SIZE, runVoteCell } from '../votes/cells';
import { atomicSystem, forUpdateSystem, naiveSystem } from '../votes/sql-counters';
import type { VoteLoad, VoteSystem } from '../votes/system';
import { tallyContextReadSystem, tallyVoteSystem } from '../votes/tally';

const NAME = 'hot-counter';
/** The full run keeps counting until every system has taken at least this many votes. */
export const MIN_VOTES = 20_000;
const SYSTEMS: readonly VoteSystem[] = [
  naiveSystem,
  atomicSystem,
  forUpdateSystem,
  tallyContextReadSystem,
  tallyVoteSystem,
];

/** One poll, every vote for the same option, every vote by a new voter. */
const LOAD: VoteLoad = {
  polls: ['hot-poll'],
  options: OPTION_IDS,
  votedOptions: ['o1'],
  voters: null,
};

function cellTiming(context: BenchContext): Timing {
  const { timing, options } = context;
  return options.quick ? timing : { ...timing, minOps: MIN_VOTES, maxMs: 120_000 };
}

async function run(context: BenchContext): Promise<ScenarioResult[]> {
  const systems = SYSTEMS.filter((s) => context.selects(`${NAME}/${s.name}`));
  const timing = cellTiming(context);
  const results: ScenarioResult[] = [];
  for (const [index, system] of systems.entries()) {
    const label = `[${index + 1}/${systems.length}] ${NAME} ${system.name}`;
    results.push(await runVoteCell(context, NAME, system, LOAD, timing, label));
  }
  console.log(`\n## ${NAME}: ${CLIENTS} clients voting for one option of one poll\n`);
  console.log(
    `${context.options.quick ? `${timing.durationMs / 1000} s` : `at least ${formatNumber(MIN_VOTES)} votes and ${timing.durationMs / 1000} s`} per system after ${timing.warmupMs / 1000} s warm-up; ` +
      `fresh database per system; pool of ${POOL_SIZE}. Every vote is by a new voter.\n`,
  );
  for (const s of systems) console.log(`- ${s.name}: ${s.description}`);
  return results;
}

export const hotCounterBenchmark: BenchModule = {
  name: NAME,
  description: `one hot counter, ${CLIENTS} clients: naive read-modify-write, atomic UPDATE, FOR UPDATE, Tally`,
  scenarios: SYSTEMS.map((s) => `${NAME}/${s.name}`),
  run,
};
