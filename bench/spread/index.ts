import { formatNumber } from '../lib/report';
import type { BenchContext, BenchModule } from '../lib/scenario';
import type { ScenarioResult } from '../lib/summary';
import { runSpreadSkuCell } from '../inventory/cells';
import { atomicItems, forUpdateItems } from '../inventory/sql-items';
import type { SkuLoad, SkuSystem } from '../inventory/system';
import { tallySkuSystem } from '../inventory/tally';
import { OPTION_IDS } from '../projections/setup';
import { CLIENTS, POOL_SIZE, runVoteCell } from '../votes/cells';
import { atomicSystem, forUpdateSystem, naiveSystem } from '../votes/sql-counters';
import type { VoteLoad, VoteSystem } from '../votes/system';
import { tallyContextReadSystem, tallyVoteSystem } from '../votes/tally';

const VOTES = 'spread/votes';
const SKUS = 'spread/skus';
export const POLLS = 100;
export const VOTERS = 10_000;
export const SKU_COUNT = 1_000;
const VOTE_SYSTEMS: readonly VoteSystem[] = [
  naiveSystem,
  atomicSystem,
  forUpdateSystem,
  tallyContextReadSystem,
  tallyVoteSystem,
];
const SKU_SYSTEMS: readonly SkuSystem[] = [forUpdateItems, atomicItems, tallySkuSystem];

const VOTE_LOAD: VoteLoad = {
  polls: Array.from({ length: POLLS }, (_, i) => `poll-${i + 1}`),
  options: OPTION_IDS,
  votedOptions: OPTION_IDS,
  voters: VOTERS,
};
const SKU_LOAD: SkuLoad = {
  items: Array.from({ length: SKU_COUNT }, (_, i) => ({
    sku: `SKU-${String(i + 1).padStart(4, '0')}`,
    stock: 1_000_000,
  })),
};

async function run(context: BenchContext): Promise<ScenarioResult[]> {
  const { timing } = context;
  const votes = VOTE_SYSTEMS.filter((s) => context.selects(`${VOTES}/${s.name}`));
  const skus = SKU_SYSTEMS.filter((s) => context.selects(`${SKUS}/${s.name}`));
  const total = votes.length + skus.length;
  const results: ScenarioResult[] = [];
  let index = 0;
  for (const system of votes) {
    const label = `[${++index}/${total}] ${VOTES} ${system.name}`;
    results.push(await runVoteCell(context, VOTES, system, VOTE_LOAD, timing, label));
  }
  for (const system of skus) {
    const label = `[${++index}/${total}] ${SKUS} ${system.name}`;
    results.push(await runSpreadSkuCell(context, SKUS, system, SKU_LOAD, timing, label));
  }
  console.log(`\n## spread: load spread over many rows and streams, ${CLIENTS} clients\n`);
  console.log(
    `${timing.durationMs / 1000} s per system after ${timing.warmupMs / 1000} s warm-up; fresh database per system; pool of ${POOL_SIZE}. ` +
      `${VOTES}: ${formatNumber(VOTERS)} voters on ${POLLS} polls of ${OPTION_IDS.length} options, each vote a random voter, poll and option other than the one that voter holds there (so every Tally vote appends: a new ballot or a moved vote). ` +
      `${SKUS}: purchases of quantity 1 of a random one of ${formatNumber(SKU_COUNT)} SKUs.\n`,
  );
  for (const s of [...votes, ...skus]) console.log(`- ${s.name}: ${s.description}`);
  return results;
}

export const spreadBenchmark: BenchModule = {
  name: 'spread',
  description: `spread load: ${formatNumber(VOTERS)} voters on ${POLLS} polls, and ${formatNumber(SKU_COUNT)} SKUs`,
  scenarios: [
    ...VOTE_SYSTEMS.map((s) => `${VOTES}/${s.name}`),
    ...SKU_SYSTEMS.map((s) => `${SKUS}/${s.name}`),
  ],
  run,
};
