import type { Pool, PoolClient } from 'pg';

type Row = Record<string, unknown>;

/** How a live table differs from the expected one (the same DDL), row by row. */
export interface RowDifferences {
  /** The primary key's columns; rows are paired by them. */
  key: string[];
  /** Expected rows the live table lacks. */
  missing: { key: Row; expected: Row }[];
  /** Live rows nothing expects. */
  extra: { key: Row; live: Row }[];
  /** The same key, other values. */
  differing: { key: Row; live: Row; expected: Row }[];
  /** More differences than listed (at most `limit` rows are read each way). */
  truncated: boolean;
}

async function primaryKey(db: Pool | PoolClient, table: string): Promise<string[]> {
  const { rows } = await db.query<{ column: string }>(
    `SELECT a.attname AS column
       FROM pg_index i
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
      WHERE i.indrelid = $1::regclass AND i.indisprimary
      ORDER BY array_position(i.indkey, a.attnum)`,
    [table],
  );
  return rows.map((r) => r.column);
}

/** Rows of `left` that `right` lacks (as a multiset), as JSON objects. */
async function except(
  db: Pool | PoolClient,
  left: string,
  right: string,
  limit: number,
): Promise<Row[]> {
  const { rows } = await db.query<{ row: Row }>(
    `SELECT to_jsonb(d) AS row FROM (TABLE ${left} EXCEPT ALL TABLE ${right}) d LIMIT ${limit + 1}`,
  );
  return rows.map((r) => r.row);
}

/**
 * Compares `live` with `expected` (trusted names, same columns): rows only in one of them,
 * paired by primary key into differing ones. A table without a primary key lists its rows as
 * missing and extra only.
 */
export async function rowDifferences(
  db: Pool | PoolClient,
  live: string,
  expected: string,
  limit = 1000,
): Promise<RowDifferences> {
  const key = await primaryKey(db, live);
  const onlyLive = await except(db, live, expected, limit);
  const onlyExpected = await except(db, expected, live, limit);
  const truncated = onlyLive.length > limit || onlyExpected.length > limit;
  const keyOf = (row: Row): Row =>
    Object.fromEntries((key.length > 0 ? key : Object.keys(row)).map((c) => [c, row[c]]));
  const keyText = (row: Row): string => JSON.stringify(keyOf(row));
  const liveByKey = new Map(onlyLive.slice(0, limit).map((row) => [keyText(row), row]));
  const result: RowDifferences = { key, missing: [], extra: [], differing: [], truncated };
  for (const row of onlyExpected.slice(0, limit)) {
    const paired = key.length > 0 ? liveByKey.get(keyText(row)) : undefined;
    if (paired === undefined) {
      result.missing.push({ key: keyOf(row), expected: row });
      continue;
    }
    liveByKey.delete(keyText(row));
    result.differing.push({ key: keyOf(row), live: paired, expected: row });
  }
  for (const row of liveByKey.values()) result.extra.push({ key: keyOf(row), live: row });
  return result;
}

export const differenceCount = (d: RowDifferences): number =>
  d.missing.length + d.extra.length + d.differing.length;
