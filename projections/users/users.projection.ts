import { domainEventProblem } from '@tally/domain';
import type { Projection } from '@tally/projections';
import { foldUsers } from './users.fold';
import { createUsersTables, usersTables, type UsersTable } from './users.tables';

export const usersProjection: Projection<UsersTable> = {
  name: 'users',
  eventTypes: ['UsernameClaimed'],
  eventProblem: domainEventProblem,
  tables: usersTables,
  createTables: createUsersTables,
  async apply(db, events, tables) {
    const users = foldUsers(events);
    if (users.length === 0) return [];
    // First claim wins: a name once taken is never handed to another user.
    const { rows } = await db.query<{ normalized: string; username: string; user_id: string }>(
      `INSERT INTO ${tables.users} (normalized, username, user_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
       ON CONFLICT (normalized) DO NOTHING
       RETURNING normalized, username, user_id`,
      [users.map((u) => u.normalized), users.map((u) => u.username), users.map((u) => u.userId)],
    );
    return rows.map((row) => ({
      key: row.normalized,
      value: { userId: row.user_id, username: row.username },
    }));
  },
};
