import { pollCountsTables } from '@tally/read-models/poll-counts';
import type { Pool } from 'pg';

const key = (pollId: string, optionId: string): string => `${pollId}/${optionId}`;

/** Poll counts as the bench expects them: each vote counted, each change moved. */
export class ExpectedCounts {
  readonly options = new Map<string, number>();
  readonly totals = new Map<string, number>();
  /** Voted events these counts are made of. */
  votes = 0;

  vote(pollId: string, optionId: string, previousOptionId: string | null): void {
    this.votes++;
    this.add(this.options, key(pollId, optionId), 1);
    if (previousOptionId === null) this.add(this.totals, pollId, 1);
    else this.add(this.options, key(pollId, previousOptionId), -1);
  }

  private add(map: Map<string, number>, k: string, n: number): void {
    map.set(k, (map.get(k) ?? 0) + n);
  }
}

/** The poll-counts tables read back, in the same shape. */
async function projected(
  pool: Pool,
): Promise<{ options: Map<string, number>; totals: Map<string, number> }> {
  const polls = await pool.query<{ poll_id: string; total_votes: string }>(
    `SELECT poll_id, total_votes FROM ${pollCountsTables.polls}`,
  );
  const options = await pool.query<{ poll_id: string; option_id: string; votes: string }>(
    `SELECT poll_id, option_id, votes FROM ${pollCountsTables.options}`,
  );
  return {
    totals: new Map(polls.rows.map((r) => [r.poll_id, Number(r.total_votes)])),
    options: new Map(options.rows.map((r) => [key(r.poll_id, r.option_id), Number(r.votes)])),
  };
}

function compare(
  what: string,
  expected: ReadonlyMap<string, number>,
  actual: ReadonlyMap<string, number>,
): string[] {
  const keys = new Set([...expected.keys(), ...actual.keys()]);
  return [...keys].flatMap((k) => {
    const want = expected.get(k) ?? 0;
    const got = actual.get(k) ?? 0;
    return want === got ? [] : [`${what} ${k}: projected ${got}, expected ${want}`];
  });
}

/**
 * Differences between the projection and `expected`, and between the Voted events the log
 * holds and those the bench counted; empty when exact.
 */
export async function countProblems(pool: Pool, expected: ExpectedCounts): Promise<string[]> {
  const actual = await projected(pool);
  const { rows } = await pool.query<{ n: string }>(
    "SELECT count(*)::text AS n FROM tally_events WHERE type = 'Voted'",
  );
  const logged = Number(rows[0]?.n ?? 0);
  return [
    ...compare('total', expected.totals, actual.totals),
    ...compare('option', expected.options, actual.options),
    logged === expected.votes
      ? ''
      : `the log holds ${logged} Voted events, expected ${expected.votes}`,
  ].filter(Boolean);
}
