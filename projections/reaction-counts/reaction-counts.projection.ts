import { domainEventProblem } from '@tally/domain';
import type { Projection } from '@tally/projections';
import { foldReactionCounts } from './reaction-counts.fold';
import {
  createReactionCountsTables,
  reactionCountsTables,
  type ReactionCountsTable,
} from './reaction-counts.tables';

export const reactionCountsProjection: Projection<ReactionCountsTable> = {
  name: 'reaction-counts',
  eventTypes: ['ReactionToggled'],
  eventProblem: domainEventProblem,
  tables: reactionCountsTables,
  createTables: createReactionCountsTables,
  async apply(db, events, tables) {
    const counts = foldReactionCounts(events);
    if (counts.length === 0) return [];
    const { rows } = await db.query<{ post_id: string; type: string; n: string }>(
      `INSERT INTO ${tables.counts} AS c (post_id, type, n)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
       ON CONFLICT (post_id, type) DO UPDATE SET n = c.n + EXCLUDED.n
       RETURNING post_id, type, n`,
      [counts.map((c) => c.postId), counts.map((c) => c.type), counts.map((c) => c.n)],
    );
    return rows.map((row) => ({
      key: row.post_id,
      value: { postId: row.post_id, type: row.type, count: Number(row.n) },
    }));
  },
};
