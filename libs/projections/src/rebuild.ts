import type { EventStore } from '@tally/event-store';
import type { Pool } from 'pg';
import type { Projection, TableNames } from './projection';

export interface FoldFromScratchOptions {
  pool: Pool;
  store: EventStore;
  projection: Projection;
  /** Fold up to and including this position. */
  until: bigint;
  batchSize?: number;
  suffix?: string;
  onProgress?: (position: bigint) => void;
}

/** The projection's tables under shadow names (`<table>__<suffix>`). */
export function shadowTables<T extends string>(
  tables: TableNames<T>,
  suffix: string,
): TableNames<T> {
  return Object.fromEntries(
    Object.entries(tables).map(([logical, physical]) => [
      logical,
      `${String(physical)}__${suffix}`,
    ]),
  ) as TableNames<T>;
}

/**
 * Replays the log from position 0 into fresh shadow tables, one transaction per batch. The
 * live tables are untouched; swapping them in is the caller's decision.
 */
export async function foldFromScratch(
  options: FoldFromScratchOptions,
): Promise<TableNames<string>> {
  const { pool, store, projection, until } = options;
  const tables = shadowTables(projection.tables, options.suffix ?? 'rebuild');
  await pool.query(
    `${Object.values(tables)
      .map((t) => `DROP TABLE IF EXISTS ${t};`)
      .join('\n')}\n${projection.createTables(tables)}`,
  );
  let position = 0n;
  while (position < until) {
    const events = await store.readAll(position, options.batchSize ?? 5000);
    const last = events[events.length - 1];
    if (!last) break;
    const relevant = events.filter(
      (e) => e.position <= until && projection.eventTypes.includes(e.type),
    );
    if (relevant.length > 0) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await projection.apply(client, relevant, tables);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    }
    position = last.position;
    options.onProgress?.(position);
  }
  return tables;
}

/** Rows that are in one table and not the other, both ways; 0 means equal as sets. */
export async function tableDifference(pool: Pool, left: string, right: string): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM ((TABLE ${left} EXCEPT ALL TABLE ${right}) UNION ALL (TABLE ${right} EXCEPT ALL TABLE ${left})) d`,
  );
  return Number(rows[0]?.n ?? 0);
}
