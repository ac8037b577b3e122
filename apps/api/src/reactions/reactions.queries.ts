import { readAtCheckpoint } from '@tally/projections';
import { reactionCountsProjection } from '@tally/read-models/reaction-counts';
import type { Pool } from 'pg';

const t = reactionCountsProjection.tables;

/** The projection the reaction reads come from, for read-your-writes. */
export const REACTIONS_PROJECTION = reactionCountsProjection.name;

export interface PostReactionsView {
  postId: string;
  /** Active reactions by type; types with none are left out. */
  counts: Record<string, number>;
  position: string;
}

export async function readPostReactions(pool: Pool, postId: string): Promise<PostReactionsView> {
  const { rows, position } = await readAtCheckpoint<{ type: string; n: string }>(
    pool,
    REACTIONS_PROJECTION,
    `SELECT type, n FROM ${t.counts} WHERE post_id = $2 AND n > 0 ORDER BY type`,
    [postId],
  );
  return { postId, counts: Object.fromEntries(rows.map((r) => [r.type, Number(r.n)])), position };
}
