import type { Pool, PoolClient } from 'pg';

export interface TransactionOptions {
  /**
   * Opens the transaction instead of a bare BEGIN: to send the first statements in BEGIN's
   * own round trip (`BEGIN; …` as one simple query). A throw rolls back like one from `work`.
   */
  begin?: (client: PoolClient) => Promise<unknown>;
}

/** Runs `work` in a transaction on a pooled client: COMMIT when it resolves, ROLLBACK when not. */
export async function inTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const client = await pool.connect();
  try {
    await (options.begin ? options.begin(client) : client.query('BEGIN'));
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
