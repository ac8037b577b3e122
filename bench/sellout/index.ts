import type { BenchContext, BenchModule } from '../lib/scenario';
import type { ScenarioResult } from '../lib/summary';
import { formatNumber } from '../lib/report';
import { CLIENTS, POOL_SIZE, runSellOutCell } from '../inventory/cells';
import { atomicItems, forUpdateItems } from '../inventory/sql-items';
import type { SkuLoad, SkuSystem } from '../inventory/system';
import { tallySkuSystem } from '../inventory/tally';

const NAME = 'hot-sku-sellout';
export const STOCK = 10_000;
const HOT = 'HOT-1';
const WARM = 'WARM-1';
const SYSTEMS: readonly SkuSystem[] = [forUpdateItems, atomicItems, tallySkuSystem];
const LOAD: SkuLoad = {
  items: [
    { sku: HOT, stock: STOCK },
    { sku: WARM, stock: 100_000_000 },
  ],
};

async function run(context: BenchContext): Promise<ScenarioResult[]> {
  const systems = SYSTEMS.filter((s) => context.selects(`${NAME}/${s.name}`));
  // Selling out at a few hundred a second takes longer than a quick run may.
  const capMs = context.options.quick ? 3_000 : 120_000;
  const results: ScenarioResult[] = [];
  for (const [index, system] of systems.entries()) {
    const label = `[${index + 1}/${systems.length}] ${NAME} ${system.name}`;
    results.push(
      await runSellOutCell(context, NAME, system, LOAD, HOT, WARM, context.timing, capMs, label),
    );
  }
  console.log(
    `\n## ${NAME}: ${CLIENTS} clients buy one SKU with a stock of ${formatNumber(STOCK)} until it is sold out\n`,
  );
  console.log(
    `Each system in a fresh database, pool of ${POOL_SIZE}; ${context.timing.warmupMs / 1000} s warm-up on another SKU; ` +
      `then every client buys one unit at a time until told out_of_stock (at most ${capMs / 1000} s). ` +
      'purchases/s: units sold ÷ time to the last sale. oversold: units sold beyond the stock.\n',
  );
  for (const s of systems) console.log(`- ${s.name}: ${s.description}`);
  return results;
}

export const selloutBenchmark: BenchModule = {
  name: NAME,
  description: `one SKU, stock ${formatNumber(STOCK)}, ${CLIENTS} clients buying until sold out: FOR UPDATE, atomic UPDATE, Tally`,
  scenarios: SYSTEMS.map((s) => `${NAME}/${s.name}`),
  run,
};
