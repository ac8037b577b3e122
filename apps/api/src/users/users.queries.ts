import { readAtCheckpoint } from '@tally/projections';
import { usersProjection } from '@tally/read-models/users';
import type { Pool } from 'pg';

const t = usersProjection.tables;

/** The projection the user reads come from, for read-your-writes. */
export const USERS_PROJECTION = usersProjection.name;

export interface UserView {
  userId: string;
  username: string;
  position: string;
}

/** The user registered under `username`, compared case-insensitively; undefined if none. */
export async function readUser(pool: Pool, username: string): Promise<UserView | undefined> {
  const { rows, position } = await readAtCheckpoint<{ user_id: string; username: string }>(
    pool,
    USERS_PROJECTION,
    `SELECT user_id, username FROM ${t.users} WHERE normalized = lower($2)`,
    [username],
  );
  const row = rows[0];
  if (!row) return undefined;
  return { userId: row.user_id, username: row.username, position };
}
