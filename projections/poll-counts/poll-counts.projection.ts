import { domainEventProblem } from '@tally/domain';
import type { Projection, ProjectionChange } from '@tally/projections';
import type { PoolClient } from 'pg';
import { foldPollCounts, type PollCountsDelta } from './poll-counts.fold';
import {
  createPollCountsTables,
  pollCountsTables,
  type PollCountsTable,
  type PollCountsTables,
} from './poll-counts.tables';

async function writeOpened(
  db: PoolClient,
  t: PollCountsTables,
  delta: PollCountsDelta,
): Promise<void> {
  if (delta.opened.size === 0) return;
  const polls = [...delta.opened];
  await db.query(
    `INSERT INTO ${t.polls} (poll_id, title) SELECT * FROM unnest($1::text[], $2::text[])
     ON CONFLICT (poll_id) DO UPDATE SET title = EXCLUDED.title`,
    [polls.map(([id]) => id), polls.map(([, p]) => p.title)],
  );
  const options = polls.flatMap(([pollId, p]) =>
    p.options.map((o, ord) => ({ pollId, ...o, ord })),
  );
  await db.query(
    `INSERT INTO ${t.options} (poll_id, option_id, text, ord)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[])
     ON CONFLICT (poll_id, option_id) DO UPDATE SET text = EXCLUDED.text, ord = EXCLUDED.ord`,
    [
      options.map((o) => o.pollId),
      options.map((o) => o.optionId),
      options.map((o) => o.text),
      options.map((o) => o.ord),
    ],
  );
}

/**
 * Totals and option counts in one statement (one round trip): each SELECT row is an option
 * whose count changed, with its poll's total as this statement left it (the totals CTE when
 * it moved the total, else the table as the statement found it).
 */
async function writeCounts(
  db: PoolClient,
  t: PollCountsTables,
  delta: PollCountsDelta,
): Promise<ProjectionChange[]> {
  if (delta.options.size === 0 && delta.totals.size === 0) return [];
  const keys = [...delta.options.keys()].map((key) => key.split('\u0000') as [string, string]);
  const { rows } = await db.query<{
    poll_id: string;
    option_id: string;
    votes: string;
    total_votes: string;
  }>(
    `WITH totals AS (
       INSERT INTO ${t.polls} AS p (poll_id, total_votes) SELECT * FROM unnest($1::text[], $2::bigint[])
       ON CONFLICT (poll_id) DO UPDATE SET total_votes = p.total_votes + EXCLUDED.total_votes
       RETURNING poll_id, total_votes),
     changed AS (
       INSERT INTO ${t.options} AS o (poll_id, option_id, votes)
       SELECT * FROM unnest($3::text[], $4::text[], $5::bigint[])
       ON CONFLICT (poll_id, option_id) DO UPDATE SET votes = o.votes + EXCLUDED.votes
       RETURNING poll_id, option_id, votes)
     SELECT c.poll_id, c.option_id, c.votes,
            coalesce(n.total_votes, p.total_votes, 0) AS total_votes
       FROM changed c LEFT JOIN totals n USING (poll_id) LEFT JOIN ${t.polls} p USING (poll_id)`,
    [
      [...delta.totals.keys()],
      [...delta.totals.values()],
      keys.map(([p]) => p),
      keys.map(([, o]) => o),
      [...delta.options.values()],
    ],
  );
  return rows.map((row) => ({
    key: row.poll_id,
    value: {
      pollId: row.poll_id,
      optionId: row.option_id,
      votes: Number(row.votes),
      totalVotes: Number(row.total_votes),
    },
  }));
}

export const pollCountsProjection: Projection<PollCountsTable> = {
  name: 'poll-counts',
  eventTypes: ['PollOpened', 'PollClosed', 'Voted', 'VoteRetracted'],
  eventProblem: domainEventProblem,
  tables: pollCountsTables,
  createTables: createPollCountsTables,
  async apply(db, events, tables) {
    const delta = foldPollCounts(events);
    await writeOpened(db, tables, delta);
    if (delta.closed.size > 0) {
      await db.query(
        `INSERT INTO ${tables.polls} (poll_id, closed) SELECT unnest($1::text[]), true
         ON CONFLICT (poll_id) DO UPDATE SET closed = true`,
        [[...delta.closed]],
      );
    }
    return writeCounts(db, tables, delta);
  },
};
