import type { Pool, PoolClient } from 'pg';
import type {
  EventStore,
  StoreTransaction,
  TransactionEnd,
  TransactionScope,
} from '../event-store.port';
import { assertStreamId } from '../event-validation';

/** A transaction of the PostgreSQL store: its connection lets other tables join it. */
export interface PostgresTransaction extends StoreTransaction {
  readonly client: PoolClient;
}

type AppendArgs = Parameters<EventStore['append']>;

/**
 * BEGIN and the scope's stream locks in one round trip (the locks must come before anything
 * gives the transaction its xid: see append-conditions.migration.ts), as a simple query
 * with the stream ids as escaped literals.
 */
function beginWithLocks(client: PoolClient, scope: TransactionScope): string {
  const shared = (scope.conditions ?? []).map((c) => c.streamId);
  for (const id of [...scope.streams, ...shared]) assertStreamId(id);
  const array = (ids: readonly string[]): string =>
    `ARRAY[${ids.map((id) => client.escapeLiteral(id)).join(',')}]::text[]`;
  return `BEGIN; SELECT tally_lock_streams(${array(scope.streams)}, ${array(shared)})`;
}

/**
 * BEGIN (with the scope's locks), `work`, then COMMIT or ROLLBACK on one connection;
 * `committed` runs after a commit that appended (to wake the subscribers).
 */
export async function runTransaction<T>(
  pool: Pool,
  scope: TransactionScope,
  appendOn: (client: PoolClient, ...args: AppendArgs) => ReturnType<EventStore['append']>,
  committed: () => void,
  work: (tx: PostgresTransaction) => Promise<TransactionEnd<T>>,
): Promise<T> {
  const client = await pool.connect();
  let appended = false;
  const tx: PostgresTransaction = {
    client,
    append: async (...args) => {
      const result = await appendOn(client, ...args);
      appended = true;
      return result;
    },
  };
  try {
    await client.query(beginWithLocks(client, scope));
    const end = await work(tx);
    await client.query(end.commit ? 'COMMIT' : 'ROLLBACK');
    if (end.commit && appended) committed();
    return end.value;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
