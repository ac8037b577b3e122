import type { TableNames } from '@tally/projections';

export type ReactionCountsTable = 'counts';
export type ReactionCountsTables = TableNames<ReactionCountsTable>;

export const reactionCountsTables: ReactionCountsTables = {
  counts: 'proj_reaction_counts',
};

/** Active reactions per post and type; a row whose count fell back to 0 stays, with n = 0. */
export const createReactionCountsTables = (t: ReactionCountsTables): string => `
CREATE TABLE ${t.counts} (
  post_id text NOT NULL,
  type    text NOT NULL,
  n       bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (post_id, type)
);`;
