import type { Pool, PoolClient } from 'pg';
import type { CommandReply } from './command-reply';

export interface StoredReply extends CommandReply {
  fingerprint: string;
}

/**
 * Keys are claimed inside the command's transaction, so a key is recorded exactly when its
 * events are. A concurrent claim of the same key blocks on the primary key until the first
 * transaction ends, which is how a duplicate in flight waits for the first answer.
 */
export class IdempotencyRepository {
  constructor(private readonly pool: Pool) {}

  async find(key: string): Promise<StoredReply | undefined> {
    const { rows } = await this.pool.query<StoredReply>(
      'SELECT fingerprint, status, body FROM tally_idempotency WHERE key = $1',
      [key],
    );
    return rows[0];
  }

  /** Returns the keys this transaction now owns; the others were recorded by someone else. */
  async claim(
    client: PoolClient,
    keys: readonly { key: string; fingerprint: string }[],
  ): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    // A stable order keeps two batches claiming overlapping keys from deadlocking.
    const sorted = [...keys].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const { rows } = await client.query<{ key: string }>(
      `INSERT INTO tally_idempotency (key, fingerprint, status, body)
       SELECT k, f, 0, 'null'::jsonb FROM unnest($1::text[], $2::text[]) AS t(k, f)
       ON CONFLICT (key) DO NOTHING RETURNING key`,
      [sorted.map((k) => k.key), sorted.map((k) => k.fingerprint)],
    );
    return new Set(rows.map((row) => row.key));
  }

  async record(
    client: PoolClient,
    replies: readonly { key: string; reply: CommandReply }[],
  ): Promise<void> {
    if (replies.length === 0) return;
    await client.query(
      `UPDATE tally_idempotency i SET status = t.s, body = t.b
         FROM unnest($1::text[], $2::int[], $3::jsonb[]) AS t(k, s, b) WHERE i.key = t.k`,
      [
        replies.map((r) => r.key),
        replies.map((r) => r.reply.status),
        replies.map((r) => JSON.stringify(r.reply.body)),
      ],
    );
  }

  /** Keys live at least 24 h; older ones may be purged. */
  async purgeOlderThan(hours: number): Promise<number> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM tally_idempotency WHERE created_at < now() - make_interval(hours => $1)`,
      [hours],
    );
    return rowCount ?? 0;
  }
}
