import { createPool } from '@tally/infra';
import type { Pool } from 'pg';
import type { Attempt } from '../lib/measure';
import type { VoteCheck, VoteLoad, VoteSession, VoteSystem } from './system';
import { voteSource } from './system';

/** The counter table every plain-SQL system updates: one row per poll option. */
async function setupCounters(url: string, load: VoteLoad): Promise<void> {
  const pool = createPool(url, 1);
  try {
    await pool.query(`CREATE TABLE counters (
      poll_id text NOT NULL, option_id text NOT NULL, n bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (poll_id, option_id))`);
    await pool.query(
      `INSERT INTO counters (poll_id, option_id)
       SELECT p, o FROM unnest($1::text[]) AS p, unnest($2::text[]) AS o`,
      [load.polls, load.options],
    );
  } finally {
    await pool.end();
  }
}

/** Votes acknowledged against the counters' sum. */
function counterSession(
  pool: Pool,
  load: VoteLoad,
  vote: (pollId: string, optionId: string) => Promise<void>,
): VoteSession {
  let acknowledged = 0;
  const held = new Map<string, string>();
  return {
    pool,
    voter(client): Attempt {
      const next = voteSource(load, client, held);
      return async () => {
        const { pollId, optionId } = next();
        await vote(pollId, optionId);
        acknowledged++;
        return true;
      };
    },
    async check(): Promise<VoteCheck> {
      const { rows } = await pool.query<{ n: string }>(
        'SELECT coalesce(sum(n), 0)::text AS n FROM counters',
      );
      const counted = Number(rows[0]?.n ?? 0);
      const lost = Math.max(0, acknowledged - counted);
      return {
        acknowledged,
        counted,
        lost,
        problems:
          counted === acknowledged
            ? []
            : [`${acknowledged} votes acknowledged, ${counted} counted`],
        lagP50Ms: null,
        lagP99Ms: null,
        lagSamples: 0,
        perTransaction: null,
      };
    },
    close: () => pool.end(),
  };
}

const READ = 'SELECT n FROM counters WHERE poll_id = $1 AND option_id = $2';
const WRITE = 'UPDATE counters SET n = $3 WHERE poll_id = $1 AND option_id = $2';

/** The bug of every incident report: read the count, add one in the application, write it back. */
export const naiveSystem: VoteSystem = {
  name: 'naive-rmw',
  description:
    'read-modify-write: SELECT n; then UPDATE … SET n = <n read + 1> (two autocommit statements): loses updates',
  setup: setupCounters,
  open(url, poolSize, load) {
    const pool = createPool(url, poolSize);
    return Promise.resolve(
      counterSession(pool, load, async (pollId, optionId) => {
        const { rows } = await pool.query<{ n: string }>({
          name: 'naive_read',
          text: READ,
          values: [pollId, optionId],
        });
        const n = Number(rows[0]?.n ?? 0);
        await pool.query({ name: 'naive_write', text: WRITE, values: [pollId, optionId, n + 1] });
      }),
    );
  },
};

/** The atomic-update fix: the database adds one under the row lock. */
export const atomicSystem: VoteSystem = {
  name: 'atomic-update',
  description: 'UPDATE counters SET n = n + 1 WHERE … (one autocommit statement)',
  setup: setupCounters,
  open(url, poolSize, load) {
    const pool = createPool(url, poolSize);
    return Promise.resolve(
      counterSession(pool, load, async (pollId, optionId) => {
        await pool.query({
          name: 'atomic_increment',
          text: 'UPDATE counters SET n = n + 1 WHERE poll_id = $1 AND option_id = $2',
          values: [pollId, optionId],
        });
      }),
    );
  },
};

/** The row-lock fix: lock the row, read it, write the read value plus one, commit. */
export const forUpdateSystem: VoteSystem = {
  name: 'for-update',
  description: 'BEGIN; SELECT n … FOR UPDATE; UPDATE … SET n = <n read + 1>; COMMIT',
  setup: setupCounters,
  open(url, poolSize, load) {
    const pool = createPool(url, poolSize);
    return Promise.resolve(
      counterSession(pool, load, async (pollId, optionId) => {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const { rows } = await client.query<{ n: string }>({
            name: 'lock_read',
            text: `${READ} FOR UPDATE`,
            values: [pollId, optionId],
          });
          const n = Number(rows[0]?.n ?? 0);
          await client.query({
            name: 'lock_write',
            text: WRITE,
            values: [pollId, optionId, n + 1],
          });
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        } finally {
          client.release();
        }
      }),
    );
  },
};
