import { domainEventProblem } from '@tally/domain';
import type { Projection } from '@tally/projections';
import { foldThreadStats } from './thread-stats.fold';
import {
  createThreadStatsTables,
  threadStatsTables,
  type ThreadStatsTable,
} from './thread-stats.tables';

interface ThreadRow {
  thread_id: string;
  title: string;
  started: boolean;
  post_count: string;
  last_activity_at: Date | null;
}

export const threadStatsProjection: Projection<ThreadStatsTable> = {
  name: 'thread-stats',
  eventTypes: ['ThreadStarted', 'PostCreated'],
  eventProblem: domainEventProblem,
  tables: threadStatsTables,
  createTables: createThreadStatsTables,
  async apply(db, events, tables) {
    const threads = foldThreadStats(events);
    if (threads.length === 0) return [];
    // One upsert for the whole batch: the title only from a ThreadStarted, counts added,
    // last activity never moved back whatever order the events arrive in.
    const { rows } = await db.query<ThreadRow>(
      `INSERT INTO ${tables.threads} AS t (thread_id, title, started, post_count, last_activity_at)
       SELECT id, coalesce(title, ''), title IS NOT NULL, n, at
         FROM unnest($1::text[], $2::text[], $3::bigint[], $4::timestamptz[]) AS u(id, title, n, at)
       ON CONFLICT (thread_id) DO UPDATE SET
         title = CASE WHEN EXCLUDED.started THEN EXCLUDED.title ELSE t.title END,
         started = t.started OR EXCLUDED.started,
         post_count = t.post_count + EXCLUDED.post_count,
         last_activity_at = GREATEST(t.last_activity_at, EXCLUDED.last_activity_at)
       RETURNING thread_id, title, started, post_count, last_activity_at`,
      [
        threads.map((d) => d.threadId),
        threads.map((d) => d.title),
        threads.map((d) => d.posts),
        threads.map((d) => d.lastActivityAt),
      ],
    );
    return rows.map((row) => ({
      key: row.thread_id,
      value: {
        threadId: row.thread_id,
        title: row.title,
        started: row.started,
        postCount: Number(row.post_count),
        lastActivityAt: row.last_activity_at?.toISOString() ?? null,
      },
    }));
  },
};
