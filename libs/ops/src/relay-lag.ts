import type { Pool } from 'pg';
import { HEAD_CTE, lagEventsSql } from './log-lag.sql';

export interface RelayLag {
  name: string;
  position: string;
  headPosition: string;
  lagEvents: number;
}

/** Events in the log the relay has not had acknowledged by the broker yet, per relay. */
export async function readRelayLag(pool: Pool): Promise<RelayLag[]> {
  const exists = await pool.query<{ t: string | null }>(
    `SELECT to_regclass('tally_relay_checkpoints')::text AS t`,
  );
  if (!exists.rows[0]?.t) return [];
  const { rows } = await pool.query<{ name: string; position: string; head: string; lag: string }>(
    `WITH ${HEAD_CTE}
     SELECT r.name, r.position, head.head, ${lagEventsSql('r.position')} AS lag
       FROM tally_relay_checkpoints r CROSS JOIN head ORDER BY r.name`,
  );
  return rows.map((r) => ({
    name: r.name,
    position: r.position,
    headPosition: r.head,
    lagEvents: Number(r.lag),
  }));
}
