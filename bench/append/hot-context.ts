/*
 * Hot context streams stay hot-safe: 64 writers appending to their own streams, all
 * conditioned on ONE context stream (the shared stream locks never block each other),
 * against the same appends without conditions, alternated on one database.
 *   node dist/bench/append/hot-context.js postgres://postgres@127.0.0.1:5432/postgres [seconds]
 * Not part of `npm run bench`: a one-off comparison.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { PostgresEventStore, eventStoreMigrations, type AppendOptions } from '@tally/event-store';
import { createPool, migrate } from '@tally/infra';

const WRITERS = 64;
const CONFIGS = [
  { name: 'default batching (2 batches in flight)', appendConcurrency: 2, maxBatch: 256 },
  { name: '16 small batches in flight (4 appends)', appendConcurrency: 16, maxBatch: 4 },
];

async function admin(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function phase(
  store: PostgresEventStore,
  label: string,
  seconds: number,
  options: AppendOptions | undefined,
): Promise<number> {
  const deadline = Date.now() + seconds * 1000;
  let appends = 0;
  const writer = async (w: number): Promise<void> => {
    const stream = `${label}-${w}`;
    for (let revision = -1; Date.now() < deadline; revision++) {
      const expected = revision < 0 ? 'no_stream' : revision;
      await store.append(stream, [{ type: 'Counted', data: { w } }], expected, options);
      appends++;
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
  return appends / ((Date.now() - started) / 1000);
}

async function main(): Promise<void> {
  const adminUrl = process.argv[2] ?? process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('usage: hot-context.js <postgres url> [seconds per phase]');
  const seconds = Number(process.argv[3] ?? 5);
  const name = `tally_hot_context_${randomBytes(4).toString('hex')}`;
  await admin(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const pool = createPool(url.toString(), 20);
  try {
    await migrate(pool, eventStoreMigrations);
    for (const config of CONFIGS) {
      const store = new PostgresEventStore({ pool, url: url.toString(), ...config });
      await store.append('hot-poll', [{ type: 'PollOpened', data: {} }], 'any');
      const { revision } = await store.streamState('hot-poll');
      const conditioned = { conditions: [{ streamId: 'hot-poll', revision }] };
      const rates: Record<string, number[]> = { plain: [], conditioned: [] };
      for (let round = 0; round < 2; round++) {
        const tag = `${config.appendConcurrency}-${round}`;
        rates.plain!.push(await phase(store, `plain-${tag}`, seconds, undefined));
        rates.conditioned!.push(await phase(store, `cond-${tag}`, seconds, conditioned));
      }
      await store.close();
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const [plain, cond] = [mean(rates.plain!), mean(rates.conditioned!)];
      console.log(
        `${config.name}, ${WRITERS} writers, ${seconds} s x 2 each: ` +
          `plain ${plain.toFixed(0)}/s [${rates.plain!.map((r) => r.toFixed(0)).join(', ')}], ` +
          `conditioned on one hot stream ${cond.toFixed(0)}/s [${rates.conditioned!.map((r) => r.toFixed(0)).join(', ')}] ` +
          `(${((cond / plain) * 100).toFixed(0)} %)`,
      );
    }
  } finally {
    await pool.end();
    await admin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
