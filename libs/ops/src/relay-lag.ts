import type { EventStore } from '@tally/event-store';
import type { Pool } from 'pg';

export interface RelayLag {
  name: string;
  position: string;
  headPosition: string;
  /** At least this many when the store capped the count (EventStoreDB: 100,000). */
  lagEvents: number;
}

/** Events in the log the relay has not had acknowledged by the broker yet, per relay. */
export async function readRelayLag(pool: Pool, store: EventStore): Promise<RelayLag[]> {
  const exists = await pool.query<{ t: string | null }>(
    `SELECT to_regclass('tally_relay_checkpoints')::text AS t`,
  );
  if (!exists.rows[0]?.t) return [];
  const [{ rows }, head] = await Promise.all([
    pool.query<{ name: string; position: string }>(
      'SELECT name, position FROM tally_relay_checkpoints ORDER BY name',
    ),
    store.headPosition(),
  ]);
  const lags = await Promise.all(rows.map((r) => store.countEvents(BigInt(r.position), head)));
  return rows.map((r, index) => ({
    name: r.name,
    position: r.position,
    headPosition: head.toString(),
    lagEvents: lags[index]!.events,
  }));
}
