import type { Pool, PoolClient } from 'pg';

/**
 * The read tables belong to one consumer group (tally_kafka_owner): its stored offsets and
 * stream progress are what the tables hold. A second group on the same tables would fold
 * every event again, so it is refused until an operator moves the ownership (take-over).
 */
type Db = Pool | PoolClient;

/** A projector of a consumer group that does not own the read tables. */
export class KafkaGroupRefused extends Error {
  constructor(
    readonly owner: string | undefined,
    readonly group: string,
  ) {
    super(
      owner === undefined
        ? `the read tables have no owning consumer group; consumer group '${group}' may not fold into them`
        : `the read tables belong to consumer group '${owner}', not to '${group}': a second group would count every event again. ` +
            `Run the projectors with TALLY_PROJECTOR_GROUP=${owner}, or move the tables to '${group}' with ` +
            `\`tally kafka take-over --group ${group}\` (rebuilds them for that group)`,
    );
  }
}

/** The owning group, if any group has claimed the tables yet. */
export async function readOwner(db: Db): Promise<string | undefined> {
  const { rows } = await db.query<{ group_id: string }>('SELECT group_id FROM tally_kafka_owner');
  return rows[0]?.group_id;
}

/** Makes `group` the owner when there is none yet; throws KafkaGroupRefused when another is. */
export async function claimOwnership(db: Db, group: string): Promise<void> {
  await db.query('INSERT INTO tally_kafka_owner (group_id) VALUES ($1) ON CONFLICT DO NOTHING', [
    group,
  ]);
  const owner = await readOwner(db);
  if (owner !== group) throw new KafkaGroupRefused(owner, group);
}

/**
 * First statement of a consumer's batch transaction: holds the owner row shared until the
 * transaction ends (a rebuild's swap, which takes it exclusively, waits for the batch and the
 * batch for the swap) and checks that `group` still owns the tables.
 */
export async function holdOwnership(client: PoolClient, group: string): Promise<void> {
  const { rows } = await client.query<{ group_id: string }>(
    'SELECT group_id FROM tally_kafka_owner FOR SHARE',
  );
  const owner = rows[0]?.group_id;
  if (owner !== group) throw new KafkaGroupRefused(owner, group);
}

/**
 * Freezes the owning group's consumers until the transaction of `client` ends: none commits
 * a batch, so its offsets and stream progress stay as read. Returns the owner, if any.
 */
export async function freezeOwner(client: PoolClient): Promise<string | undefined> {
  const { rows } = await client.query<{ group_id: string }>(
    'SELECT group_id FROM tally_kafka_owner FOR UPDATE',
  );
  return rows[0]?.group_id;
}

/**
 * Hands the tables to `to` with what they hold: the owner's stored offsets and stream
 * progress become `to`'s (whatever `to` had stored before is dropped). After freezeOwner, in
 * its transaction.
 */
export async function moveOwnership(
  client: PoolClient,
  from: string | undefined,
  to: string,
): Promise<void> {
  if (from !== to) {
    for (const table of ['tally_kafka_offsets', 'tally_kafka_stream_progress']) {
      await client.query(`DELETE FROM ${table} WHERE group_id = $1`, [to]);
      if (from !== undefined)
        await client.query(`UPDATE ${table} SET group_id = $2 WHERE group_id = $1`, [from, to]);
    }
  }
  await client.query(
    `INSERT INTO tally_kafka_owner (group_id) VALUES ($1)
     ON CONFLICT (singleton) DO UPDATE SET group_id = EXCLUDED.group_id, claimed_at = now()`,
    [to],
  );
}

/** What the owning group folded, per stream: every revision up to the one stored. */
export async function appliedRevisions(
  client: PoolClient,
  group: string,
  streams: readonly string[],
): Promise<Map<string, number>> {
  const { rows } = await client.query<{ stream_id: string; revision: string }>(
    'SELECT stream_id, revision FROM tally_kafka_stream_progress WHERE group_id = $1 AND stream_id = ANY($2)',
    [group, streams],
  );
  return new Map(rows.map((r) => [r.stream_id, Number(r.revision)]));
}
