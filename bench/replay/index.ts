import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { PostgresEventStore } from '@tally/event-store';
import { createPool } from '@tally/infra';
import type { Projection } from '@tally/projections';
import { Projector, setCheckpoint } from '@tally/projections';
import { allProjections } from '@tally/read-models';
import type { Pool } from 'pg';
import { formatNumber } from '../lib/report';
import type { BenchContext, BenchModule } from '../lib/scenario';
import type { ScenarioResult } from '../lib/summary';
import { deferred, setupSchema, within } from '../projections/setup';
import type { LogTotals } from './log';
import { MIX, generateLog } from './log';

const NAME = 'replay';
const BATCH_SIZE = 1_000;
const POOL_SIZE = 8;
const TIMEOUT_MS = 600_000;

const load1 = (): string => (loadavg()[0] ?? 0).toFixed(2);

/** What each projection must hold after folding the whole log: [query, expected count]. */
function expectations(totals: LogTotals): Record<string, [string, number]> {
  return {
    'poll-counts': ['SELECT coalesce(sum(votes), 0) AS n FROM proj_poll_options', totals.votes],
    'reaction-counts': [
      'SELECT coalesce(sum(n), 0) AS n FROM proj_reaction_counts',
      totals.reactions,
    ],
    'thread-stats': ['SELECT coalesce(sum(post_count), 0) AS n FROM proj_threads', totals.posts],
    inventory: ['SELECT coalesce(sum(sold), 0) AS n FROM proj_items', totals.purchases],
    users: ['SELECT count(*) AS n FROM proj_users', totals.users],
  };
}

async function problems(pool: Pool, projections: readonly Projection[], totals: LogTotals) {
  const expected = expectations(totals);
  const found: string[] = [];
  for (const p of projections) {
    const check = expected[p.name];
    if (!check) continue;
    const { rows } = await pool.query<{ n: string }>(check[0]);
    const n = Number(rows[0]?.n ?? 0);
    if (n !== check[1]) found.push(`${p.name} holds ${n}, the log ${check[1]}`);
  }
  return found;
}

/** Clears the projections' tables and checkpoints, then times a Projector from position 0. */
async function replay(
  pool: Pool,
  store: PostgresEventStore,
  projections: readonly Projection[],
  head: bigint,
  onProgress: (fraction: number) => void,
): Promise<{ seconds: number; batches: number }> {
  for (const p of projections) await setCheckpoint(pool, p.name, 0n);
  for (const p of projections) {
    for (const table of Object.values(p.tables)) await pool.query(`TRUNCATE ${table}`);
  }
  const done = deferred();
  const caughtUp = new Set<string>();
  let batches = 0;
  const projector = new Projector({
    pool,
    store,
    projections,
    batchSize: BATCH_SIZE,
    onCommitted: (name, position, _changes, events) => {
      if (events.length > 0) batches++;
      onProgress(Number(position) / Number(head));
      if (position >= head) caughtUp.add(name);
      if (caughtUp.size === projections.length) done.resolve();
    },
    onError: (name, error) => done.reject(new Error(`${name} failed`, { cause: error })),
  });
  const began = performance.now();
  await projector.start();
  try {
    await within(done.promise, TIMEOUT_MS, 'replay timed out');
  } finally {
    await projector.stop();
  }
  return { seconds: (performance.now() - began) / 1000, batches };
}

/** The read alone: the pages a Projector reads (fold view), decoded and dropped. */
async function readOnly(
  store: PostgresEventStore,
  types: readonly string[] | undefined,
  head: bigint,
): Promise<{ seconds: number; events: number }> {
  const began = performance.now();
  const subscription = store.subscribeToFold(0n, { batchSize: BATCH_SIZE, types });
  let events = 0;
  try {
    for await (const page of subscription.pages()) {
      events += page.events.length;
      if (page.through >= head) break;
    }
  } finally {
    await subscription.close();
  }
  return { seconds: (performance.now() - began) / 1000, events };
}

async function run(context: BenchContext): Promise<ScenarioResult[]> {
  const { progress, options } = context;
  const cells: { system: string; projections: readonly Projection[] }[] = [
    ...allProjections.map((p) => ({ system: p.name, projections: [p] })),
    { system: 'all-five', projections: allProjections },
  ].filter((c) => context.selects(`${NAME}/${c.system}`));
  if (cells.length === 0 && !context.selects(`${NAME}/read-only`)) return [];
  const events = options.quick ? 100_000 : 1_000_000;
  const url = await context.databases.create('replay');
  await setupSchema(url, allProjections);
  const pool = createPool(url, POOL_SIZE);
  const store = new PostgresEventStore({ pool, url });
  const results: ScenarioResult[] = [];
  try {
    const began = performance.now();
    const totals = await generateLog(pool, events, (f) =>
      progress.update(`${NAME}: writing ${formatNumber(events)} events`, f),
    );
    progress.line(
      `${NAME}: wrote ${formatNumber(totals.events)} events in ${formatNumber((performance.now() - began) / 1000, 1)} s`,
    );
    const head = await store.headPosition();
    for (const [index, cell] of cells.entries()) {
      const label = `[${index + 1}/${cells.length}] ${NAME} ${cell.system}`;
      const { seconds, batches } = await replay(pool, store, cell.projections, head, (f) =>
        progress.update(label, f),
      );
      const found = await problems(pool, cell.projections, totals);
      if (found.length > 0) progress.line(`NOT EXACT ${label}: ${found.join('; ')}`);
      const types = new Set(cell.projections.flatMap((p) => p.eventTypes));
      const folded = Object.entries({
        Voted: totals.votes,
        ReactionToggled: totals.reactions,
        PostCreated: totals.posts,
        Purchased: totals.purchases,
        UsernameClaimed: totals.users,
      }).reduce((sum, [type, n]) => sum + (types.has(type) ? n : 0), 0);
      const perSec = totals.events / seconds;
      progress.line(
        `${label.padEnd(40)} ${formatNumber(perSec).padStart(9)} events/s  ${formatNumber(seconds, 2)} s  ${formatNumber(folded)} folded in ${formatNumber(batches)} batches  load ${load1()}`,
      );
      results.push({
        name: NAME,
        system: cell.system,
        opsPerSec: Math.round(perSec),
        lost: found.length === 0 ? 0 : null,
        oversold: null,
        p50Ms: null,
        p99Ms: null,
        lagP99Ms: null,
        detail: {
          events: totals.events,
          seconds: Number(seconds.toFixed(3)),
          folded,
          foldedPerSec: Math.round(folded / seconds),
          batches,
          batchSize: BATCH_SIZE,
          exact: found.length === 0,
        },
      });
    }
    // What bounds a rebuild: reading and decoding the events it takes, nothing applied
    // (after the replays, so that every pass finds the log as warm).
    const reads = [
      { system: 'read-only/poll-counts-types', types: allProjections[0]?.eventTypes },
      { system: 'read-only/every-event', types: undefined },
    ].filter((r) => context.selects(`${NAME}/${r.system}`));
    for (const read of reads) {
      const { seconds, events: decoded } = await readOnly(store, read.types, head);
      progress.line(
        `${`${NAME} ${read.system}`.padEnd(40)} ${formatNumber(totals.events / seconds).padStart(9)} events/s  ${formatNumber(seconds, 2)} s  ${formatNumber(decoded)} decoded  load ${load1()}`,
      );
      results.push({
        name: NAME,
        system: read.system,
        opsPerSec: Math.round(totals.events / seconds),
        lost: null,
        oversold: null,
        p50Ms: null,
        p99Ms: null,
        lagP99Ms: null,
        detail: { events: totals.events, seconds: Number(seconds.toFixed(3)), decoded },
      });
    }
  } finally {
    await store.close();
    await pool.end();
  }
  console.log(`\n## ${NAME}: rebuilding each projection from ${formatNumber(events)} events\n`);
  console.log(
    `A log of ${formatNumber(events)} events (per 100: ${MIX.votes} votes, ${MIX.reactions} reactions, ${MIX.posts} posts, ${MIX.purchases} purchases, ${MIX.users} username; plus the polls, threads and items they need), ` +
      `written straight into the event store's tables; then, for each projection, its tables and checkpoint cleared and a Projector ` +
      `(batch ${BATCH_SIZE}, pool of ${POOL_SIZE}) run from position 0 until its checkpoint reaches the head. events/s: log events ÷ time; ` +
      'folded: the events of its types, read and applied (the others are passed over in SQL). exact: the tables add up to the log.\n',
  );
  return results;
}

export const replayBenchmark: BenchModule = {
  name: NAME,
  description: 'events per second rebuilding each projection from position 0',
  scenarios: [
    ...allProjections.map((p) => `${NAME}/${p.name}`),
    `${NAME}/all-five`,
    `${NAME}/read-only/poll-counts-types`,
    `${NAME}/read-only/every-event`,
  ],
  run,
};
