import { PostgresEventStore, eventStoreMigrations } from '../../libs/event-store/src';
import { createTestDatabase } from '../support/test-database';
import type { HarnessFactory } from './event-store.harness';

export const postgresHarness: HarnessFactory = async ({ pollIntervalMs }) => {
  const db = await createTestDatabase(eventStoreMigrations, 80);
  const store = new PostgresEventStore({ pool: db.pool, url: db.url, pollIntervalMs });
  return {
    store,
    appendHeldOpen: async (streamId, events) => {
      const client = await db.pool.connect();
      await client.query('BEGIN');
      await store.appendWithin(client, streamId, events, 'any');
      return {
        commit: async () => {
          await client.query('COMMIT');
          client.release();
          store.notifyAppended();
        },
      };
    },
    naiveReadAll: async (fromPosition, limit) => {
      const { rows } = await db.pool.query<{ event_id: string; position: string }>(
        'SELECT event_id, position FROM tally_events WHERE position > $1 ORDER BY position LIMIT $2',
        [fromPosition.toString(), limit],
      );
      return rows.map((row) => ({ id: row.event_id, position: BigInt(row.position) }));
    },
    appendSilently: async (streamId, events) => {
      await store.appendWithin(db.pool, streamId, events, 'any');
    },
    close: async () => {
      await store.close();
      await db.drop();
    },
  };
};
