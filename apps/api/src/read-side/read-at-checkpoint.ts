import type { Pool } from 'pg';

/**
 * Runs `sql` (whose own parameters start at $2) in the same statement as the read of the
 * projection's checkpoint, so the rows and the position they are served at share a snapshot.
 */
export async function readAtCheckpoint<Row extends object>(
  pool: Pool,
  projection: string,
  sql: string,
  params: readonly unknown[],
): Promise<{ rows: Row[]; position: string }> {
  const { rows } = await pool.query<Row & { checkpoint: string }>(
    `SELECT c.position AS checkpoint, q.* FROM tally_projection_checkpoints c
       LEFT JOIN LATERAL (${sql}) q ON true WHERE c.name = $1`,
    [projection, ...params],
  );
  const position = rows[0]?.checkpoint ?? '0';
  // Without data the lateral join still yields one row of nulls: keep only real rows.
  const data = rows.filter((row) =>
    Object.entries(row).some(([key, value]) => key !== 'checkpoint' && value !== null),
  );
  return { rows: data, position };
}
