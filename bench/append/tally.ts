import {
  PostgresEventStore,
  WrongExpectedRevision,
  eventStoreMigrations,
} from '@tally/event-store';
import type { ExpectedRevision } from '@tally/event-store';
import { createPool, migrate } from '@tally/infra';
import type { AppendOutcome, AppendSession, AppendSystem, Expected } from './system';
import { EVENT_TYPE, eventData } from './system';

function toRevision(expected: Expected): ExpectedRevision {
  switch (expected.kind) {
    case 'no_stream':
      return 'no_stream';
    case 'any':
      return 'any';
    case 'exact':
      return expected.count === 0 ? 'no_stream' : expected.count - 1;
  }
}

export const tallySystem: AppendSystem = {
  name: 'tally',
  eventsTable: 'tally_events',
  notes: [],

  async setup(url) {
    const pool = createPool(url, 2);
    try {
      await migrate(pool, eventStoreMigrations);
    } finally {
      await pool.end();
    }
  },

  open(url, poolSize) {
    const pool = createPool(url, poolSize);
    const store = new PostgresEventStore({ pool, url });
    const session: AppendSession = {
      async append(streamId, writer, expected): Promise<AppendOutcome> {
        try {
          const event = { type: EVENT_TYPE, data: eventData(writer) };
          const result = await store.append(streamId, [event], toRevision(expected));
          return { ok: true, count: result.revision + 1 };
        } catch (error) {
          if (error instanceof WrongExpectedRevision) return { ok: false };
          throw error;
        }
      },
      async streamCount(streamId) {
        return (await store.streamState(streamId)).revision + 1;
      },
      async close() {
        await store.close();
        await pool.end();
      },
    };
    return Promise.resolve(session);
  },
};
