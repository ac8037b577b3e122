import type { Pool, PoolClient } from 'pg';
import type { EventStore, StoreTransaction, TransactionEnd } from '../event-store.port';

/** A transaction of the PostgreSQL store: its connection lets other tables join it. */
export interface PostgresTransaction extends StoreTransaction {
  readonly client: PoolClient;
}

type AppendArgs = Parameters<EventStore['append']>;

/**
 * BEGIN, `work`, then COMMIT or ROLLBACK on one connection; `committed` runs after a
 * commit that appended (to wake the subscribers).
 */
export async function runTransaction<T>(
  pool: Pool,
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
    await client.query('BEGIN');
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
