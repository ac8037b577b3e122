import type { PostgresTransaction } from '@tally/event-store';
import type { Pool } from 'pg';
import type { StoredReply } from './command-outcome';
import type { IdempotencyStore, KeyClaim, RecordedReply } from './idempotency-store.port';

/** Keys in `tally_idempotency`, claimed and recorded on the PostgreSQL event store's transaction. */
export class PostgresIdempotencyStore implements IdempotencyStore<PostgresTransaction> {
  constructor(private readonly pool: Pool) {}

  async find(key: string): Promise<RecordedReply | undefined> {
    const { rows } = await this.pool.query<RecordedReply>(
      'SELECT fingerprint, reply FROM tally_idempotency WHERE key = $1 AND reply IS NOT NULL',
      [key],
    );
    return rows[0];
  }

  async claim(tx: PostgresTransaction, keys: readonly KeyClaim[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    // A stable order keeps two batches claiming overlapping keys from deadlocking.
    const sorted = [...keys].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const { rows } = await tx.client.query<{ key: string }>(
      `INSERT INTO tally_idempotency (key, fingerprint)
       SELECT k, f FROM unnest($1::text[], $2::text[]) AS t(k, f)
       ON CONFLICT (key) DO NOTHING RETURNING key`,
      [sorted.map((k) => k.key), sorted.map((k) => k.fingerprint)],
    );
    return new Set(rows.map((row) => row.key));
  }

  async record(
    tx: PostgresTransaction,
    replies: readonly { key: string; reply: StoredReply }[],
  ): Promise<void> {
    if (replies.length === 0) return;
    await tx.client.query(
      `UPDATE tally_idempotency i SET reply = t.r
         FROM unnest($1::text[], $2::jsonb[]) AS t(k, r) WHERE i.key = t.k`,
      [replies.map((r) => r.key), replies.map((r) => JSON.stringify(r.reply))],
    );
  }
}
