import { readAtCheckpoint } from '@tally/projections';
import { pollCountsProjection } from '@tally/read-models/poll-counts';
import type { Pool } from 'pg';

const t = pollCountsProjection.tables;

/** The projection the poll reads come from, for read-your-writes. */
export const POLLS_PROJECTION = pollCountsProjection.name;

export interface PollView {
  pollId: string;
  title: string;
  closed: boolean;
  options: { optionId: string; text: string; votes: number }[];
  totalVotes: number;
  position: string;
}

interface Row {
  title: string;
  closed: boolean;
  total_votes: string;
  option_id: string | null;
  text: string | null;
  votes: string | null;
  ord: number | null;
}

/** The poll with its counts, read at the poll-counts checkpoint (one statement, one snapshot). */
export async function readPollView(pool: Pool, pollId: string): Promise<PollView | undefined> {
  const { rows, position } = await readAtCheckpoint<Row>(
    pool,
    POLLS_PROJECTION,
    `SELECT p.title, p.closed, p.total_votes, o.option_id, o.text, o.votes, o.ord
       FROM ${t.polls} p LEFT JOIN ${t.options} o ON o.poll_id = p.poll_id
      WHERE p.poll_id = $2`,
    [pollId],
  );
  const first = rows[0];
  // A count can arrive before its poll's title: without the title the poll is not open yet.
  if (!first || first.title === '') return undefined;
  const options = rows
    .filter((r) => r.option_id !== null)
    .sort((a, b) => (a.ord ?? 0) - (b.ord ?? 0))
    .map((r) => ({ optionId: r.option_id!, text: r.text ?? '', votes: Number(r.votes) }));
  return {
    pollId,
    title: first.title,
    closed: first.closed,
    options,
    totalVotes: Number(first.total_votes),
    position,
  };
}

/** Option counts of a poll as the live streams follow them. */
export interface PollCounts {
  totalVotes: number;
  votes: Map<string, number>;
}

/** Counts of many polls in one statement at one checkpoint: the live streams' shared read. */
export async function readPollCounts(
  pool: Pool,
  pollIds: readonly string[],
): Promise<{ polls: Map<string, PollCounts>; position: string }> {
  const { rows, position } = await readAtCheckpoint<{
    poll_id: string;
    option_id: string;
    votes: string;
    total_votes: string;
  }>(
    pool,
    POLLS_PROJECTION,
    `SELECT o.poll_id, o.option_id, o.votes, p.total_votes
       FROM ${t.options} o JOIN ${t.polls} p ON p.poll_id = o.poll_id
      WHERE o.poll_id = ANY($2::text[])
      ORDER BY o.poll_id, o.ord`,
    [pollIds],
  );
  const polls = new Map<string, PollCounts>();
  for (const row of rows) {
    let poll = polls.get(row.poll_id);
    if (!poll) {
      poll = { totalVotes: Number(row.total_votes), votes: new Map() };
      polls.set(row.poll_id, poll);
    }
    poll.votes.set(row.option_id, Number(row.votes));
  }
  return { polls, position };
}
