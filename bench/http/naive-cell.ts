import { createPool } from '@tally/infra';
import type { Pool } from 'pg';
import { OPTION_IDS } from '../projections/setup';
import type { HttpCheck, HttpSystem } from './cell';
import { POOL_SIZE } from './cell';
import type { Answers, Workload } from './load';
import { distEntry, startServer } from './server';

const SCHEMA = [
  `CREATE TABLE options (
     poll_id text NOT NULL, option_id text NOT NULL, votes bigint NOT NULL DEFAULT 0,
     PRIMARY KEY (poll_id, option_id))`,
  `CREATE TABLE ballots (
     poll_id text NOT NULL, voter_id text NOT NULL, option_id text NOT NULL,
     previous_option_id text, PRIMARY KEY (poll_id, voter_id))`,
];

async function setup(pool: Pool, workload: Workload): Promise<void> {
  for (const statement of SCHEMA) await pool.query(statement);
  await pool.query(
    `INSERT INTO options (poll_id, option_id)
     SELECT p, o FROM unnest($1::text[]) AS p, unnest($2::text[]) AS o`,
    [workload.polls, OPTION_IDS],
  );
}

/**
 * Run once the server has exited, so no vote is left in flight. Every (poll, voter) answered
 * 200 must have its ballot; ballots, the sum of the counts and each option's count must agree;
 * ballots beyond the acknowledged ones can only be votes whose answers autocannon dropped at
 * its stop, at most the requests it sent and never saw answered.
 */
async function check(
  pool: Pool,
  ballots: ReadonlySet<string>,
  answers: Answers,
): Promise<HttpCheck> {
  const keys = [...ballots];
  const missing = await pool.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM unnest($1::text[]) AS a(k)
      WHERE NOT EXISTS (SELECT 1 FROM ballots b
                         WHERE b.poll_id = split_part(a.k, '|', 1) AND b.voter_id = split_part(a.k, '|', 2))`,
    [keys],
  );
  const totals = await pool.query<{ ballots: string; counted: string; off: string }>(
    `SELECT (SELECT count(*) FROM ballots)::text AS ballots,
            (SELECT coalesce(sum(votes), 0) FROM options)::text AS counted,
            (SELECT coalesce(sum(abs(coalesce(b.n, 0) - coalesce(o.votes, 0))), 0)
               FROM (SELECT poll_id, option_id, count(*) AS n FROM ballots GROUP BY 1, 2) b
               FULL JOIN options o USING (poll_id, option_id))::text AS off`,
  );
  const lost = Number(missing.rows[0]?.n ?? 0);
  const stored = Number(totals.rows[0]?.ballots ?? 0);
  const counted = Number(totals.rows[0]?.counted ?? 0);
  const off = Number(totals.rows[0]?.off ?? 0);
  const unanswered = answers.sent - answers.accepted - answers.refused;
  const extra = stored - (keys.length - lost);
  return {
    lost: lost + off,
    problems: [
      lost > 0 ? `${lost} acknowledged ballots are missing` : '',
      counted !== stored ? `${stored} ballots but the options count ${counted} votes` : '',
      off > 0 ? `option counts are off their ballots by ${off}` : '',
      extra > unanswered
        ? `${extra} ballots beyond the acknowledged, but only ${unanswered} requests unanswered`
        : '',
    ].filter(Boolean),
    detail: { ballots: stored, acknowledgedBallots: keys.length, unanswered, counted },
  };
}

/** The naive server process (naive-server.ts) on its own tables. */
export const naiveHttp: HttpSystem = {
  name: 'naive-http',
  description:
    `node:http, no framework, in its own process, pool of ${POOL_SIZE}: BEGIN; INSERT INTO ballots … ON CONFLICT (poll_id, voter_id) DO UPDATE … RETURNING the previous option; ` +
    'UPDATE options SET votes = votes ± 1 for the new and the previous option; COMMIT. ' +
    'lost: acknowledged ballots missing, or option counts off the ballots',
  async start(url, workload) {
    const pool = createPool(url, 2);
    try {
      await setup(pool, workload);
      const entry = await distEntry('bench', 'http', 'naive-server.js');
      const env = { ...process.env, DATABASE_URL: url, PG_POOL_SIZE: String(POOL_SIZE) };
      const server = await startServer(entry, env);
      const ballots = new Set<string>();
      let stopped: Promise<void> | undefined;
      const stop = (): Promise<void> => (stopped ??= server.stop().then(() => pool.end()));
      return {
        baseUrl: server.baseUrl,
        accept(body) {
          const reply = JSON.parse(body) as { pollId: string; voterId: string };
          ballots.add(`${reply.pollId}|${reply.voterId}`);
        },
        async check(answers) {
          await server.stop();
          return check(pool, ballots, answers);
        },
        stop,
      };
    } catch (error) {
      await pool.end();
      throw error;
    }
  },
};
