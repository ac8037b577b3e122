import type { Pool } from 'pg';
import type { EventStore } from '../../libs/event-store/src';
import { foldFromScratch } from '../../libs/projections/src';
import { pollCountsProjection } from '../../projections/poll-counts';
import { admin, call, type CallResult } from './http-app';

export interface VoteCloseRace {
  votes: CallResult[];
  close: CallResult;
}

/**
 * Opens a poll, sends `voters` votes (one voter each) from `connections` concurrent
 * clients, and closes the poll once the `closeAfter`-th vote has started. `via(i)` picks the
 * API process request i goes to.
 */
export async function raceVotesAgainstClose(
  via: (i: number) => string,
  pollId: string,
  { voters = 1000, connections = 64, closeAfter = 400 } = {},
): Promise<VoteCloseRace> {
  const opened = await call(via(0), 'POST', '/polls', {
    pollId,
    title: 'Race',
    options: ['yes', 'no'],
  });
  if (opened.status !== 201) throw new Error(`open: ${opened.status}`);
  const votes: CallResult[] = new Array<CallResult>(voters);
  let next = 0;
  let close: Promise<CallResult> | undefined;
  const client = async (): Promise<void> => {
    for (let i = next++; i < voters; i = next++) {
      if (i === closeAfter)
        close = call(via(i + 1), 'POST', `/polls/${pollId}/close`, undefined, admin);
      // Every other vote carries an Idempotency-Key: keyed appends share a transaction
      // with the key's record, and must hold the same order.
      const headers = i % 2 === 0 ? { 'Idempotency-Key': `${pollId}-v${i}` } : undefined;
      const body = { voterId: `v${i}`, optionId: i % 3 === 0 ? 'o2' : 'o1' };
      votes[i] = await call(via(i), 'POST', `/polls/${pollId}/votes`, body, headers);
    }
  };
  await Promise.all(Array.from({ length: connections }, client));
  if (!close) throw new Error('the close was never sent');
  return { votes, close: await close };
}

export interface RaceInLog {
  closedAt: bigint;
  /** Positions of the Voted events of the poll's ballots, in log order. */
  voted: bigint[];
  /** total_votes of the poll in a fold of the whole log from position 0. */
  foldedTotal: number;
}

/** What the log says of the race: the close, the votes, and a fold from 0. */
export async function readRaceFromLog(
  pool: Pool,
  store: EventStore,
  pollId: string,
): Promise<RaceInLog> {
  const rows = await pool.query<{ type: string; position: string }>(
    `SELECT type, position FROM tally_events
      WHERE stream_id = $1 OR stream_id LIKE $2 ORDER BY position`,
    [`poll-${pollId}`, `ballot-${pollId}|%`],
  );
  const closed = rows.rows.find((r) => r.type === 'PollClosed');
  if (!closed) throw new Error('no PollClosed in the log');
  const tables = await foldFromScratch({
    pool,
    store,
    projection: pollCountsProjection,
    until: await store.headPosition(),
    suffix: `race_${pollId.replace(/\W/g, '_')}`,
  });
  const folded = await pool.query<{ total_votes: string }>(
    `SELECT total_votes FROM ${tables.polls} WHERE poll_id = $1`,
    [pollId],
  );
  return {
    closedAt: BigInt(closed.position),
    voted: rows.rows.filter((r) => r.type === 'Voted').map((r) => BigInt(r.position)),
    foldedTotal: Number(folded.rows[0]?.total_votes ?? 0),
  };
}

/**
 * The answers of a race hold the order: the close succeeded, every refused vote is
 * `409 poll_closed`, every acknowledged one precedes PollClosed, and both kinds happened.
 * Returns the acknowledged votes and the close's position.
 */
export function expectRaceAnswers({ votes, close }: VoteCloseRace): {
  accepted: CallResult[];
  closedAt: bigint;
} {
  expect(close.status).toBe(200);
  const closedAt = BigInt(close.body.position as string);
  const accepted = votes.filter((r) => r.status === 200);
  const refused = votes.filter((r) => r.status !== 200);
  for (const r of refused) expect([r.status, r.body.error]).toEqual([409, 'poll_closed']);
  for (const r of accepted) expect(BigInt(r.body.position as string) < closedAt).toBe(true);
  expect(accepted.length).toBeGreaterThan(0);
  expect(refused.length).toBeGreaterThan(0);
  return { accepted, closedAt };
}
