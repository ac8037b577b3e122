import type { TableNames } from '@tally/projections';

export type ThreadStatsTable = 'threads';
export type ThreadStatsTables = TableNames<ThreadStatsTable>;

export const threadStatsTables: ThreadStatsTables = {
  threads: 'proj_threads',
};

/**
 * Columns default so that upserts can arrive in any order: posts counted before the
 * thread's ThreadStarted leave `started = false` and an empty title until it comes.
 * `last_activity_at` is only ever raised (GREATEST ignores NULL).
 */
export const createThreadStatsTables = (t: ThreadStatsTables): string => `
CREATE TABLE ${t.threads} (
  thread_id        text PRIMARY KEY,
  title            text NOT NULL DEFAULT '',
  started          boolean NOT NULL DEFAULT false,
  post_count       bigint NOT NULL DEFAULT 0,
  last_activity_at timestamptz
);`;
