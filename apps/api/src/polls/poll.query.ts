import type { Pool } from 'pg';
import { pollCountsTables as t } from '@tally/read-models/poll-counts';

export interface PollView {
  pollId: string;
  title: string;
  closed: boolean;
  options: { optionId: string; text: string; votes: number }[];
  totalVotes: number;
  position: string;
}

interface Row {
  title: string | null;
  closed: boolean | null;
  total_votes: string | null;
  option_id: string | null;
  text: string | null;
  votes: string | null;
  checkpoint: string;
}

/** One statement, so the counts and the position they are served at come from one snapshot. */
export async function readPoll(pool: Pool, pollId: string): Promise<PollView | undefined> {
  const { rows } = await pool.query<Row>(
    `SELECT p.title, p.closed, p.total_votes, o.option_id, o.text, o.votes,
            (SELECT position FROM tally_projection_checkpoints WHERE name = 'poll-counts') AS checkpoint
       FROM (SELECT 1) one
       LEFT JOIN ${t.polls} p ON p.poll_id = $1
       LEFT JOIN ${t.options} o ON o.poll_id = p.poll_id
      ORDER BY o.ord`,
    [pollId],
  );
  const first = rows[0];
  if (!first || first.title === null || first.title === '') return undefined;
  return {
    pollId,
    title: first.title,
    closed: first.closed ?? false,
    options: rows.flatMap((r) =>
      r.option_id === null
        ? []
        : [{ optionId: r.option_id, text: r.text ?? '', votes: Number(r.votes) }],
    ),
    totalVotes: Number(first.total_votes ?? 0),
    position: first.checkpoint ?? '0',
  };
}
