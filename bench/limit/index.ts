import { loadavg } from 'node:os';
import { createPool } from '@tally/infra';
import { warmPool } from '../hot-sku/pool';
import { measure } from '../lib/measure';
import { formatNumber } from '../lib/report';
import type { BenchContext, BenchModule } from '../lib/scenario';
import type { ScenarioResult } from '../lib/summary';
import { ms } from '../lib/summary';

const NAME = 'limit';
const SYSTEM = 'bare-insert';
const CLIENTS = 64;
const POOL_SIZE = 64;

const load1 = (): string => (loadavg()[0] ?? 0).toFixed(2);

/**
 * The ceiling for anything that commits once per operation: 64 clients each sending one
 * prepared `INSERT` of one small row into a table without indexes, in autocommit.
 */
async function run(context: BenchContext): Promise<ScenarioResult[]> {
  if (!context.selects(`${NAME}/${SYSTEM}`)) return [];
  const label = `[1/1] ${NAME} ${SYSTEM}`;
  const url = await context.databases.create('limit');
  const pool = createPool(url, POOL_SIZE);
  try {
    await pool.query('CREATE TABLE bare (client int NOT NULL, n bigint NOT NULL)');
    await warmPool(pool, POOL_SIZE, (line) => context.progress.line(line));
    const writers = Array.from({ length: CLIENTS }, (_, client) => {
      let n = 0;
      return async () => {
        await pool.query({
          name: 'bare_insert',
          text: 'INSERT INTO bare (client, n) VALUES ($1, $2)',
          values: [client, n++],
        });
        return true;
      };
    });
    const m = await measure(writers, context.timing, (f) => context.progress.update(label, f));
    const { rows } = await pool.query<{ n: string }>('SELECT count(*)::text AS n FROM bare');
    const stored = Number(rows[0]?.n ?? 0);
    if (stored !== m.succeeded) {
      context.progress.line(`NOT EXACT ${label}: ${m.succeeded} inserts, ${stored} rows`);
    }
    context.progress.line(
      `${label.padEnd(40)} ${formatNumber(m.opsPerSec).padStart(7)} commits/s  p50 ${formatNumber(m.p50Ms, 2)} ms  p99 ${formatNumber(m.p99Ms, 2)} ms  load ${load1()}`,
    );
    console.log(`\n## ${NAME}: one bare INSERT per transaction, ${CLIENTS} clients\n`);
    console.log(
      `${context.timing.durationMs / 1000} s after ${context.timing.warmupMs / 1000} s warm-up; pool of ${POOL_SIZE}; ` +
        'a prepared INSERT of one (int, bigint) row into a table with no index, autocommit: ' +
        `${formatNumber(m.opsPerSec)} commits/s, p50 ${formatNumber(m.p50Ms, 2)} ms, p99 ${formatNumber(m.p99Ms, 2)} ms.`,
    );
    return [
      {
        name: NAME,
        system: SYSTEM,
        opsPerSec: Math.round(m.opsPerSec),
        lost: stored - m.succeeded === 0 ? 0 : Math.max(0, m.succeeded - stored),
        oversold: null,
        p50Ms: ms(m.p50Ms),
        p99Ms: ms(m.p99Ms),
        lagP99Ms: null,
        detail: { clients: CLIENTS, inserts: m.measuredOps, windowMs: Math.round(m.windowMs) },
      },
    ];
  } finally {
    await pool.end();
  }
}

export const limitBenchmark: BenchModule = {
  name: NAME,
  description: `the commit ceiling: one bare INSERT per transaction, ${CLIENTS} clients`,
  scenarios: [`${NAME}/${SYSTEM}`],
  run,
};
