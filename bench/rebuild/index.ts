import { performance } from 'node:perf_hooks';
import { PostgresEventStore } from '@tally/event-store';
import { createPool } from '@tally/infra';
import { foldFromScratch, startRebuild, tableDifference } from '@tally/projections';
import { allProjections } from '@tally/read-models';
import { formatNumber } from '../lib/report';
import type { BenchContext, BenchModule } from '../lib/scenario';
import type { ScenarioResult } from '../lib/summary';
import { setupSchema } from '../projections/setup';
import { generateLog } from '../replay/log';

const NAME = 'rebuild';
const POOL_SIZE = 8;

/**
 * The operators' rebuild (`tally projections rebuild`, `POST /projections/{name}/rebuild`):
 * shadow tables from position 0, catch-up, then the swap with the checkpoint — timed end to
 * end over a generated log, each projection after the other, every result checked table for
 * table against a from-scratch fold.
 */
async function run(context: BenchContext): Promise<ScenarioResult[]> {
  const { progress, options } = context;
  const cells = allProjections.filter((p) => context.selects(`${NAME}/${p.name}`));
  if (cells.length === 0) return [];
  const events = options.quick ? 100_000 : 1_000_000;
  const url = await context.databases.create(NAME);
  await setupSchema(url, allProjections);
  const pool = createPool(url, POOL_SIZE);
  const store = new PostgresEventStore({ pool, url });
  const results: ScenarioResult[] = [];
  try {
    const totals = await generateLog(pool, events, (f) =>
      progress.update(`${NAME}: writing ${formatNumber(events)} events`, f),
    );
    const head = await store.headPosition();
    for (const [index, projection] of cells.entries()) {
      const label = `[${index + 1}/${cells.length}] ${NAME} ${projection.name}`;
      const began = performance.now();
      const { done } = await startRebuild({
        pool,
        store,
        projection,
        onProgress: (p) => progress.update(label, p.total > 0 ? p.processed / p.total : 1),
      });
      const result = await done;
      const seconds = (performance.now() - began) / 1000;
      const scratch = await foldFromScratch({
        pool,
        store,
        projection,
        until: head,
        suffix: 'check',
      });
      let differing = 0;
      for (const [logical, live] of Object.entries(projection.tables))
        differing += await tableDifference(pool, live, scratch[logical]!);
      for (const table of Object.values(scratch)) await pool.query(`DROP TABLE ${table}`);
      const perSec = totals.events / seconds;
      progress.line(
        `${label.padEnd(36)} ${formatNumber(perSec).padStart(9)} log events/s  ${formatNumber(result.processed)} folded in ${formatNumber(seconds, 2)} s  ${differing === 0 ? 'exact' : `NOT EXACT (${differing} rows differ)`}`,
      );
      results.push({
        name: NAME,
        system: projection.name,
        opsPerSec: Math.round(perSec),
        lost: differing === 0 ? 0 : null,
        oversold: null,
        p50Ms: null,
        p99Ms: null,
        lagP99Ms: null,
        detail: {
          events: totals.events,
          folded: result.processed,
          foldedPerSec: Math.round(result.processed / seconds),
          seconds: Number(seconds.toFixed(3)),
          exact: differing === 0,
        },
      });
    }
  } finally {
    await store.close();
    await pool.end();
  }
  console.log(`\n## ${NAME}: the rebuild tool over ${formatNumber(events)} events\n`);
  console.log('| projection | log events/s | events folded | seconds | equals a fold from 0 |');
  console.log('|---|---:|---:|---:|---|');
  for (const r of results)
    console.log(
      `| ${r.system} | ${formatNumber(r.opsPerSec)} | ${formatNumber(Number(r.detail?.folded))} | ${String(r.detail?.seconds)} | ${r.detail?.exact ? 'yes' : 'NO'} |`,
    );
  return results;
}

export const rebuildBenchmark: BenchModule = {
  name: NAME,
  description:
    'the rebuild tool (shadow tables, catch-up, swap) per projection over 1,000,000 events',
  scenarios: allProjections.map((p) => `${NAME}/${p.name}`),
  run,
};
