import type { Pool } from 'pg';

/** Shares of the generated log, per 100 events. */
export const MIX = { votes: 60, reactions: 20, posts: 10, purchases: 9, users: 1 } as const;
export const POLLS = 100;
export const THREADS = 1_000;
export const SKUS = 1_000;
const STOCK = 1_000_000;
/** Events per generating transaction (a transaction numbers at most 2^20 positions). */
const CHUNK = 100_000;

/** What the projections must hold once they folded the whole log. */
export interface LogTotals {
  events: number;
  votes: number;
  reactions: number;
  posts: number;
  purchases: number;
  users: number;
}

const META = `jsonb_build_object('correlationId', md5(g::text), 'time', '2026-01-01T00:00:00.000Z')`;

/** The setup events: polls opened, threads started, items listed. */
const SETUP = `
INSERT INTO tally_events (position, event_id, stream_id, revision, type, data, metadata, recorded_at)
SELECT (pg_current_xact_id()::text::bigint << 20) + g - 1, gen_random_uuid(), s, 0, t, d, ${META}, now()
FROM (SELECT row_number() OVER () AS g, * FROM (
  SELECT 'poll-p' || i AS s, 'PollOpened' AS t,
         jsonb_build_object('pollId', 'p' || i, 'title', 'Poll ' || i, 'openedAt', '2026-01-01T00:00:00.000Z',
           'options', jsonb_build_array(jsonb_build_object('optionId', 'o1', 'text', 'Red'),
                                        jsonb_build_object('optionId', 'o2', 'text', 'Green'),
                                        jsonb_build_object('optionId', 'o3', 'text', 'Blue'),
                                        jsonb_build_object('optionId', 'o4', 'text', 'Yellow'))) AS d
    FROM generate_series(1, ${POLLS}) i
  UNION ALL
  SELECT 'thread-t' || i, 'ThreadStarted',
         jsonb_build_object('threadId', 't' || i, 'title', 'Thread ' || i, 'startedAt', '2026-01-01T00:00:00.000Z')
    FROM generate_series(1, ${THREADS}) i
  UNION ALL
  SELECT 'item-S' || i, 'ItemListed',
         jsonb_build_object('sku', 'S' || i, 'name', 'Item ' || i, 'stock', ${STOCK}, 'listedAt', '2026-01-01T00:00:00.000Z')
    FROM generate_series(1, ${SKUS}) i
) x) y`;

/**
 * Events g of [$1, $2): by g % 100 a vote by a new voter, a reaction turned on, a post, a
 * purchase or a username claim, in the shapes the deciders append. Purchases are numbered
 * in log order (9 per 100 events) and spread round-robin over the SKUs, so each item stream
 * gets consecutive revisions and a falling remaining stock.
 */
const V = MIX.votes;
const R = V + MIX.reactions;
const P = R + MIX.posts;
const B = P + MIX.purchases;
const CHUNK_SQL = `
INSERT INTO tally_events (position, event_id, stream_id, revision, type, data, metadata, recorded_at)
SELECT (pg_current_xact_id()::text::bigint << 20) + (g - $1), gen_random_uuid(), x.s, x.r, x.t, x.d, ${META}, now()
FROM generate_series($1::bigint, $2::bigint - 1) g
CROSS JOIN LATERAL (SELECT g % 100 AS k, g / 100 AS q, (g / 100) * ${MIX.purchases} + (g % 100 - ${P}) AS pi) n
CROSS JOIN LATERAL (
  SELECT CASE WHEN k < ${V} THEN 'ballot-p' || (q % ${POLLS} + 1) || '|v' || g
              WHEN k < ${R} THEN 'reaction-post' || (q % 5000) || '|like|u' || g
              WHEN k < ${P} THEN 'post-' || g
              WHEN k < ${B} THEN 'item-S' || (pi % ${SKUS} + 1)
              ELSE 'username-user' || g END AS s,
         CASE WHEN k >= ${P} AND k < ${B} THEN pi / ${SKUS} + 1 ELSE 0 END AS r,
         CASE WHEN k < ${V} THEN 'Voted'
              WHEN k < ${R} THEN 'ReactionToggled'
              WHEN k < ${P} THEN 'PostCreated'
              WHEN k < ${B} THEN 'Purchased'
              ELSE 'UsernameClaimed' END AS t,
         CASE WHEN k < ${V} THEN jsonb_build_object('pollId', 'p' || (q % ${POLLS} + 1), 'voterId', 'v' || g,
                'optionId', 'o' || (g % 4 + 1), 'previousOptionId', NULL, 'votedAt', '2026-01-01T00:00:01.000Z')
              WHEN k < ${R} THEN jsonb_build_object('postId', 'post' || (q % 5000), 'type', 'like',
                'userId', 'u' || g, 'active', true, 'at', '2026-01-01T00:00:01.000Z')
              WHEN k < ${P} THEN jsonb_build_object('postId', 'post-' || g,
                'threadId', 't' || (q % ${THREADS} + 1), 'authorId', 'a' || (g % 977), 'body', 'Hello there, a post of modest length.',
                'createdAt', '2026-01-01T00:00:01.000Z')
              WHEN k < ${B} THEN jsonb_build_object('purchaseId', gen_random_uuid()::text, 'sku', 'S' || (pi % ${SKUS} + 1),
                'customerId', 'c' || (g % 9973), 'quantity', 1, 'remainingStock', ${STOCK} - (pi / ${SKUS} + 1),
                'purchasedAt', '2026-01-01T00:00:01.000Z')
              ELSE jsonb_build_object('userId', 'id-' || g, 'username', 'User' || g, 'normalized', 'user' || g,
                'claimedAt', '2026-01-01T00:00:01.000Z') END AS d
) x`;

/**
 * Writes a log of `events` events (the setup events, then the mix) straight into the
 * event store's tables, CHUNK events per transaction, positions as the store numbers them.
 */
export async function generateLog(
  pool: Pool,
  events: number,
  onProgress: (fraction: number) => void,
): Promise<LogTotals> {
  // Bulk load: the table's keys are built once at the end instead of row by row (the same
  // constraints, under the same names, as the migration creates).
  await pool.query(`ALTER TABLE tally_events DROP CONSTRAINT tally_events_pkey,
                      DROP CONSTRAINT tally_events_event_id_key,
                      DROP CONSTRAINT tally_events_stream_id_revision_key`);
  await pool.query(SETUP);
  const setup = POLLS + THREADS + SKUS;
  const mixed = events - setup;
  for (let from = 0; from < mixed; from += CHUNK) {
    await pool.query(CHUNK_SQL, [from, Math.min(mixed, from + CHUNK)]);
    onProgress(Math.min(mixed, from + CHUNK) / mixed);
  }
  await pool.query(`ALTER TABLE tally_events ADD CONSTRAINT tally_events_pkey PRIMARY KEY (position),
                      ADD CONSTRAINT tally_events_event_id_key UNIQUE (event_id),
                      ADD CONSTRAINT tally_events_stream_id_revision_key UNIQUE (stream_id, revision)`);
  // Streams, so that the store (and its revision checks) agree with the log.
  await pool.query(`INSERT INTO tally_streams (stream_id, revision, position)
                    SELECT stream_id, max(revision), max(position) FROM tally_events GROUP BY stream_id`);
  await pool.query('VACUUM ANALYZE tally_events');
  const { rows } = await pool.query<{ type: string; n: string }>(
    'SELECT type, count(*)::text AS n FROM tally_events GROUP BY type',
  );
  const count = (type: string): number => Number(rows.find((r) => r.type === type)?.n ?? 0);
  return {
    events: rows.reduce((sum, r) => sum + Number(r.n), 0),
    votes: count('Voted'),
    reactions: count('ReactionToggled'),
    posts: count('PostCreated'),
    purchases: count('Purchased'),
    users: count('UsernameClaimed'),
  };
}
