import { setTimeout as sleep } from 'node:timers/promises';
import { createPool } from '@tally/infra';
import { readCheckpoints } from '@tally/projections';
import type { Pool } from 'pg';
import { OPTION_TEXTS } from '../projections/setup';
import type { HttpSystem } from './cell';
import { POOL_SIZE } from './cell';
import { call, startApi } from './server';

const DRAIN_TIMEOUT_MS = 60_000;

/** Position and voter of every vote answered `changed: true`. */
interface Replies {
  positions: string[];
  voters: string[];
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
export async function caughtUp(pool: Pool): Promise<boolean> {
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
async function exactness(
  pool: Pool,
  replies: Replies,
): Promise<{ lost: number; problems: string[] }> {
  const missing = await pool.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM unnest($1::bigint[], $2::text[]) AS a(position, voter)
      WHERE NOT EXISTS (SELECT 1 FROM tally_events e WHERE e.position = a.position
                          AND e.type = 'Voted' AND e.data->>'voterId' = a.voter)`,
    [replies.positions, replies.voters],
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

/** The real API process; its polls are opened through POST /polls. */
export const tallyHttp: HttpSystem = {
  name: 'tally-http',
  description:
    `dist/apps/api in its own process as it ships (Fastify + Nest, validation, in-process projector, pool of ${POOL_SIZE}, ` +
    'default log level to a discarded stdout); lost: acknowledged votes missing from the log, or poll-counts off the log once it reached its head',
  async start(url, workload) {
    const server = await startApi(url, POOL_SIZE);
    const pool = createPool(url, 2);
    let stopped: Promise<void> | undefined;
    const stop = (): Promise<void> =>
      (stopped ??= Promise.all([pool.end(), server.stop()]).then(() => undefined));
    try {
      for (const pollId of workload.polls) {
        await call(server, 'POST', '/polls', { pollId, title: pollId, options: OPTION_TEXTS }, 201);
      }
    } catch (error) {
      await stop();
      throw error;
    }
    const replies: Replies = { positions: [], voters: [] };
    return {
      baseUrl: server.baseUrl,
      accept(body) {
        const reply = JSON.parse(body) as { voterId: string; changed: boolean; position: string };
        if (reply.changed) {
          replies.positions.push(reply.position);
          replies.voters.push(reply.voterId);
        }
      },
      async check() {
        // Past the last answer seen: also the votes whose answers autocannon dropped.
        const drained = await caughtUp(pool);
        const { lost, problems } = await exactness(pool, replies);
        if (!drained) problems.push(`poll-counts did not catch up within ${DRAIN_TIMEOUT_MS} ms`);
        return { lost, problems, detail: {} };
      },
      stop,
    };
  },
};
