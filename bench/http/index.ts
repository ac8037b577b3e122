import { randomInt } from 'node:crypto';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { createPool } from '@tally/infra';
import { readCheckpoints } from '@tally/projections';
import type { Pool } from 'pg';
import { formatNumber } from '../lib/report';
import type { BenchContext, BenchModule } from '../lib/scenario';
import type { ScenarioResult } from '../lib/summary';
import { ms } from '../lib/summary';
import { OPTION_IDS, OPTION_TEXTS } from '../projections/setup';
import { POLLS as SPREAD_POLLS, VOTERS as SPREAD_VOTERS } from '../spread';
import type { ApiServer } from './server';
import { call, startApi } from './server';

const NAME = 'http';
const CONNECTIONS = 64;
const POOL_SIZE = 64;
const DRAIN_TIMEOUT_MS = 60_000;

const load1 = (): string => (loadavg()[0] ?? 0).toFixed(2);

interface Workload {
  system: string;
  polls: readonly string[];
  /** The next vote: poll, voter, option. */
  next(): { pollId: string; voterId: string; optionId: string };
}

/** One poll, one option, a new voter every request: the hot counter over HTTP. */
function hotCounter(): Workload {
  let n = 0;
  return {
    system: 'hot-counter',
    polls: ['hot-poll'],
    next: () => ({ pollId: 'hot-poll', voterId: `voter-${n++}`, optionId: 'o1' }),
  };
}

/** The spread vote load over HTTP: random poll, voter and option. */
function spreadVotes(): Workload {
  const polls = Array.from({ length: SPREAD_POLLS }, (_, i) => `poll-${i + 1}`);
  return {
    system: 'spread-votes',
    polls,
    next: () => ({
      pollId: polls[randomInt(polls.length)] ?? 'poll-1',
      voterId: `voter-${randomInt(SPREAD_VOTERS)}`,
      optionId: OPTION_IDS[randomInt(OPTION_IDS.length)] ?? 'o1',
    }),
  };
}

interface Tally {
  /** Position and voter of every vote answered `changed: true`. */
  positions: string[];
  voters: string[];
  accepted: number;
  refused: number;
  firstRefusal?: string;
  highest: bigint;
}

/** autocannon against POST /polls/{pollId}/votes; every answer is counted into `tally`. */
function fire(server: ApiServer, workload: Workload, seconds: number, tally: Tally) {
  return autocannon({
    url: server.baseUrl,
    connections: CONNECTIONS,
    duration: seconds,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => {
          const vote = workload.next();
          const body = JSON.stringify({ voterId: vote.voterId, optionId: vote.optionId });
          return { ...request, path: `/polls/${vote.pollId}/votes`, body };
        },
        onResponse: (status, body) => {
          if (status !== 200) {
            if (tally.refused++ === 0) tally.firstRefusal = `${status} ${body.slice(0, 300)}`;
            return;
          }
          const reply = JSON.parse(body) as { voterId: string; changed: boolean; position: string };
          tally.accepted++;
          if (reply.changed) {
            tally.positions.push(reply.position);
            tally.voters.push(reply.voterId);
          }
          const position = BigInt(reply.position);
          if (position > tally.highest) tally.highest = position;
        },
      },
    ],
  });
}

const head = async (pool: Pool): Promise<bigint> => {
  const { rows } = await pool.query<{ head: string | null }>(
    'SELECT max(position)::text AS head FROM tally_events',
  );
  return BigInt(rows[0]?.head ?? 0);
};

/**
 * Waits until poll-counts has folded the whole log. Requests autocannon gave up on at the end
 * may still be appending, so the log's head is read again once the projection reached it.
 */
async function caughtUp(pool: Pool): Promise<boolean> {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  // First the log itself must be still for a moment: no request left in the server.
  let target = await head(pool);
  for (let still = 0; still < 5 && Date.now() < deadline;) {
    await sleep(50);
    const now = await head(pool);
    still = now === target ? still + 1 : 0;
    target = now;
  }
  while (Date.now() < deadline) {
    const stored = await readCheckpoints(pool, ['poll-counts']);
    if ((stored.get('poll-counts') ?? 0n) >= target) {
      const now = await head(pool);
      if (now === target) return true;
      target = now;
    }
    await sleep(20);
  }
  return false;
}

/**
 * Answers autocannon dropped at the end of its window never reach onResponse, so the log is
 * the reference: every vote answered `changed` must be in it at its position, and poll-counts
 * must equal the counts the log's Voted events make.
 */
async function exactness(pool: Pool, tally: Tally): Promise<{ lost: number; problems: string[] }> {
  const missing = await pool.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM unnest($1::bigint[], $2::text[]) AS a(position, voter)
      WHERE NOT EXISTS (SELECT 1 FROM tally_events e WHERE e.position = a.position
                          AND e.type = 'Voted' AND e.data->>'voterId' = a.voter)`,
    [tally.positions, tally.voters],
  );
  const wrong = await pool.query<{ n: string; off: string }>(
    `WITH moves AS (
       SELECT data->>'pollId' AS poll_id, data->>'optionId' AS option_id, 1 AS n
         FROM tally_events WHERE type = 'Voted'
       UNION ALL
       SELECT data->>'pollId', data->>'previousOptionId', -1
         FROM tally_events WHERE type = 'Voted' AND data->>'previousOptionId' IS NOT NULL),
     logged AS (SELECT poll_id, option_id, sum(n) AS votes FROM moves GROUP BY 1, 2)
     SELECT count(*)::text AS n, coalesce(sum(abs(coalesce(l.votes, 0) - coalesce(o.votes, 0))), 0)::text AS off
       FROM logged l FULL JOIN proj_poll_options o USING (poll_id, option_id)
      WHERE coalesce(l.votes, 0) <> coalesce(o.votes, 0)`,
  );
  const lost = Number(missing.rows[0]?.n ?? 0);
  const off = Number(wrong.rows[0]?.off ?? 0);
  return {
    lost: lost + off,
    problems: [
      lost > 0 ? `${lost} acknowledged votes are not in the log` : '',
      off > 0
        ? `poll-counts is off the log by ${off} votes on ${wrong.rows[0]?.n ?? 0} options`
        : '',
    ].filter(Boolean),
  };
}

async function runCell(
  context: BenchContext,
  workload: Workload,
  label: string,
): Promise<ScenarioResult> {
  const { timing } = context;
  const url = await context.databases.create(`http_${workload.system.replace(/\W/g, '_')}`);
  const server = await startApi(url, POOL_SIZE);
  const pool = createPool(url, 2);
  try {
    for (const pollId of workload.polls) {
      await call(server, 'POST', '/polls', { pollId, title: pollId, options: OPTION_TEXTS }, 201);
    }
    const tally: Tally = { positions: [], voters: [], accepted: 0, refused: 0, highest: 0n };
    context.progress.update(label, 0);
    await fire(server, workload, Math.max(1, timing.warmupMs / 1000), tally);
    const accepted = tally.accepted;
    context.progress.update(label, 0.3);
    const result = await fire(server, workload, timing.durationMs / 1000, tally);
    // Past the last answer seen: also the votes whose answers autocannon dropped.
    const drained = await caughtUp(pool);
    const { lost, problems } = await exactness(pool, tally);
    if (!drained) problems.push(`poll-counts did not catch up within ${DRAIN_TIMEOUT_MS} ms`);
    if (tally.refused > 0 || result.errors > 0) {
      problems.push(
        `${tally.refused} refused, ${result.errors} errors, ${result.timeouts} timeouts`,
      );
    }
    if (problems.length > 0)
      context.progress.line(`NOT EXACT ${label}: ${problems.slice(0, 5).join('; ')}`);
    const perSec = (tally.accepted - accepted) / result.duration;
    context.progress.line(
      `${label.padEnd(40)} ${formatNumber(perSec).padStart(7)} votes/s  p50 ${formatNumber(result.latency.p50, 2)} ms  p99 ${formatNumber(result.latency.p99, 2)} ms  lost ${lost}  load ${load1()}`,
    );
    return {
      name: `${NAME}/${workload.system}`,
      system: 'tally-http',
      opsPerSec: Math.round(perSec),
      lost,
      oversold: null,
      p50Ms: ms(result.latency.p50),
      p99Ms: ms(result.latency.p99),
      lagP99Ms: null,
      detail: {
        connections: CONNECTIONS,
        requests: tally.accepted - accepted,
        seconds: result.duration,
        non2xx: result.non2xx,
        errors: result.errors,
        exact: problems.length === 0,
      },
    };
  } finally {
    await pool.end();
    await server.stop();
  }
}

async function run(context: BenchContext): Promise<ScenarioResult[]> {
  const workloads = [hotCounter(), spreadVotes()].filter((w) =>
    context.selects(`${NAME}/${w.system}`),
  );
  const results: ScenarioResult[] = [];
  for (const [index, workload] of workloads.entries()) {
    const label = `[${index + 1}/${workloads.length}] ${NAME} ${workload.system}`;
    results.push(await runCell(context, workload, label));
  }
  console.log(`\n## ${NAME}: cast-vote through the real HTTP server, ${CONNECTIONS} connections\n`);
  console.log(
    `dist/apps/api in its own process as it ships (Fastify + Nest, validation, in-process projector, pool of ${POOL_SIZE}, default log level to a discarded stdout), ` +
      `autocannon 8 in the bench process, ${CONNECTIONS} connections, no pipelining; ${context.timing.durationMs / 1000} s after a warm-up run. ` +
      'hot-counter: every request a new voter for option o1 of one poll; spread-votes: a random one of 10,000 voters on 100 polls. ' +
      'lost: accepted votes missing from poll-counts once it reached the highest position answered.\n',
  );
  return results;
}

export const httpBenchmark: BenchModule = {
  name: NAME,
  description: `cast-vote through the real HTTP server under autocannon, ${CONNECTIONS} connections`,
  scenarios: [`${NAME}/hot-counter`, `${NAME}/spread-votes`],
  run,
};
