import {
  NO_CONCURRENCY_CHECK,
  STREAM_DOES_NOT_EXIST,
  isExpectedVersionConflictError,
} from '@event-driven-io/emmett';
import type { Event, ExpectedStreamVersion } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { Pool } from 'pg';
import type { AppendOutcome, AppendSession, AppendSystem, Expected } from './system';
import { EVENT_TYPE, eventData } from './system';

type BenchEvent = Event<typeof EVENT_TYPE, ReturnType<typeof eventData>>;

// emmett-postgresql's default partition; `emt_streams` is LIST-partitioned on it.
const DEFAULT_PARTITION = 'emt:default';

function toVersion(expected: Expected): ExpectedStreamVersion {
  switch (expected.kind) {
    case 'no_stream':
      return STREAM_DOES_NOT_EXIST;
    case 'any':
      return NO_CONCURRENCY_CHECK;
    case 'exact':
      return BigInt(expected.count);
  }
}

function createEmmettPool(url: string, max: number): Pool {
  const pool = new Pool({ connectionString: url, max, application_name: 'bench-emmett' });
  pool.on('error', () => undefined);
  return pool;
}

export const emmettSystem: AppendSystem = {
  name: 'emmett',
  eventsTable: 'emt_messages',
  notes: [
    "emmett: without a pool, dumbo creates a pg.Pool with pg's default max of 10; the bench passes its own pg.Pool (same max as Tally) via connectionOptions.pool.",
    'emmett: STREAM_DOES_NOT_EXIST and NO_CONCURRENCY_CHECK both reach SQL as "no expected position": the function reads the current position, then INSERTs (position 0) or UPDATEs WHERE position = read value. So "no stream" is not enforced, and NO_CONCURRENCY_CHECK can still fail under contention (counted as conflicts and retried).',
    'emmett: it has no stream-version read; the optimistic hot-stream loop reads emt_streams.stream_position directly (Tally uses streamState()).',
    'emmett: each append is BEGIN + one literal (unparameterised) SELECT emt_append_to_stream(...) + COMMIT; Tally sends one prepared statement in autocommit.',
  ],

  async setup(url) {
    const pool = createEmmettPool(url, 2);
    const store = getPostgreSQLEventStore(url, { connectionOptions: { pool } });
    try {
      await store.schema.migrate();
    } finally {
      await store.close();
      await pool.end();
    }
  },

  open(url, poolSize) {
    const pool = createEmmettPool(url, poolSize);
    // Schema is created once in setup; skip the per-instance migration on first append.
    const store = getPostgreSQLEventStore(url, {
      connectionOptions: { pool },
      schema: { autoMigration: 'None' },
    });
    const session: AppendSession = {
      async append(streamId, writer, expected): Promise<AppendOutcome> {
        const event: BenchEvent = { type: EVENT_TYPE, data: eventData(writer) };
        try {
          const result = await store.appendToStream<BenchEvent>(streamId, [event], {
            expectedStreamVersion: toVersion(expected),
          });
          return { ok: true, count: Number(result.nextExpectedStreamVersion) };
        } catch (error) {
          // emmett-postgresql bundles its own copy of emmett's error classes, so `instanceof
          // ExpectedVersionConflictError` fails; this checks the error code (412) instead.
          if (isExpectedVersionConflictError(error)) return { ok: false };
          throw error;
        }
      },
      async streamCount(streamId) {
        const { rows } = await pool.query<{ position: string | bigint }>(
          `SELECT stream_position AS position FROM emt_streams
            WHERE stream_id = $1 AND partition = $2 AND is_archived = FALSE`,
          [streamId, DEFAULT_PARTITION],
        );
        return Number(rows[0]?.position ?? 0);
      },
      async close() {
        await store.close();
        await pool.end();
      },
    };
    return Promise.resolve(session);
  },
};
