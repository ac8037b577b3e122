import type { TableNames } from '@tally/projections';

export type PollCountsTable = 'polls' | 'options';
export type PollCountsTables = TableNames<PollCountsTable>;

export const pollCountsTables: PollCountsTables = {
  polls: 'proj_polls',
  options: 'proj_poll_options',
};

// Columns default so that upserts can arrive in any order: a count before its poll's title.
export const createPollCountsTables = (t: PollCountsTables): string => `
CREATE TABLE ${t.polls} (
  poll_id     text PRIMARY KEY,
  title       text NOT NULL DEFAULT '',
  closed      boolean NOT NULL DEFAULT false,
  total_votes bigint NOT NULL DEFAULT 0
);
CREATE TABLE ${t.options} (
  poll_id   text NOT NULL,
  option_id text NOT NULL,
  text      text NOT NULL DEFAULT '',
  ord       integer NOT NULL DEFAULT 0,
  votes     bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (poll_id, option_id)
);`;
