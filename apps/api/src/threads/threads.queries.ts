import { readAtCheckpoint } from '@tally/projections';
import { threadStatsProjection } from '@tally/read-models/thread-stats';
import type { Pool } from 'pg';

const t = threadStatsProjection.tables;

/** The projection the thread reads come from, for read-your-writes. */
export const THREADS_PROJECTION = threadStatsProjection.name;

export interface ThreadView {
  threadId: string;
  title: string;
  postCount: number;
  lastActivityAt: string | null;
  position: string;
}

/** The thread as thread-stats holds it; undefined until it was started. */
export async function readThread(pool: Pool, threadId: string): Promise<ThreadView | undefined> {
  const { rows, position } = await readAtCheckpoint<{
    title: string;
    post_count: string;
    last_activity_at: Date | null;
  }>(
    pool,
    THREADS_PROJECTION,
    `SELECT title, post_count, last_activity_at FROM ${t.threads} WHERE thread_id = $2 AND started`,
    [threadId],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    threadId,
    title: row.title,
    postCount: Number(row.post_count),
    lastActivityAt: row.last_activity_at?.toISOString() ?? null,
    position,
  };
}
