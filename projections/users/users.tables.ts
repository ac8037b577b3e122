import type { TableNames } from '@tally/projections';

export type UsersTable = 'users';
export type UsersTables = TableNames<UsersTable>;

export const usersTables: UsersTables = {
  users: 'proj_users',
};

/** Keyed by the lower-cased name: read with `WHERE normalized = lower($1)` in any letter case. */
export const createUsersTables = (t: UsersTables): string => `
CREATE TABLE ${t.users} (
  normalized text PRIMARY KEY,
  username   text NOT NULL,
  user_id    text NOT NULL
);`;
