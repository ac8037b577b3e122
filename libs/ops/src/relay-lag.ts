import type { Pool } from 'pg';

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
    `WITH head AS (
       SELECT coalesce(max(position), 0) AS head FROM tally_events WHERE position < tally_visible_bound()
     )
     SELECT r.name, r.position, head.head,
            (SELECT count(*) FROM tally_events e
              WHERE e.position > r.position AND e.position <= head.head) AS lag
       FROM tally_relay_checkpoints r CROSS JOIN head ORDER BY r.name`,
  );
  return rows.map((r) => ({
    name: r.name,
    position: r.position,
    headPosition: r.head,
    lagEvents: Number(r.lag),
  }));
}
