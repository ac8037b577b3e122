import { withTimeout } from '@tally/ops';
import {
  freezeOwner,
  kafkaSwapMode,
  moveOwnership,
  RebuildInProgress,
  readOwner,
  setCheckpoint,
  startRebuild,
} from '@tally/projections';
import { inTransaction } from '@tally/infra';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { Pool } from 'pg';
import { UsageError, withContext } from '../context';
import { printJson } from '../output';

/**
 * `tally kafka take-over --group <group>`: moves the read tables to another consumer group.
 * Every projection is first rebuilt from the event store to hold exactly what the owning
 * group folded (repairing tables a second group folded into); then the owner's stored offsets
 * and stream progress become the new group's, in one transaction with the ownership, and the
 * new group's committed offsets in Kafka are set to them. The old group's projectors are
 * refused from their next batch on.
 */
export async function kafkaTakeOver(options: { group: string; json?: boolean }): Promise<void> {
  const group = options.group.trim();
  if (group === '') throw new UsageError('--group must name a consumer group');
  await withContext(async ({ config, database, store, projections }) => {
    if (config.kafkaBrokers.length === 0)
      throw new UsageError('KAFKA_BROKERS is unset: there is no consumer group to take over for');
    const pool = database.pool;
    const rebuilt: { name: string; rebuildId: string; position: string }[] = [];
    for (const projection of projections) {
      try {
        const { rebuildId, done } = await startRebuild({
          pool,
          store,
          projection,
          mode: kafkaSwapMode(pool, store),
        });
        const result = await done;
        rebuilt.push({ name: projection.name, rebuildId, position: result.position.toString() });
        if (!options.json)
          console.error(`${projection.name}: rebuilt (${result.processed} events)`);
      } catch (error) {
        if (error instanceof RebuildInProgress)
          throw new UsageError(
            `a rebuild of ${projection.name} is already running; try again after it`,
          );
        throw error;
      }
    }
    const previous = await readOwner(pool);
    const kafka = new Kafka({
      clientId: 'tally-cli',
      brokers: config.kafkaBrokers,
      logLevel: logLevel.NOTHING,
      connectionTimeout: 2000,
      retry: { retries: 2 },
    });
    const admin = kafka.admin();
    try {
      await withTimeout(admin.connect(), 10_000, `the broker at ${config.kafkaBrokers.join(',')}`);
      await commitStoredOffsets(admin, pool, config.kafkaTopic, previous, group);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    const from = await inTransaction(pool, async (client) => {
      const owner = await freezeOwner(client);
      await moveOwnership(client, owner, group);
      // Without an owner the tables were rebuilt empty: the new group folds from the start.
      if (owner === undefined)
        for (const projection of projections) await setCheckpoint(client, projection.name, 0n);
      return owner;
    });
    const summary = { group, previousGroup: from ?? null, rebuilt };
    if (options.json) printJson(summary);
    else
      console.log(
        `the read tables now belong to consumer group '${group}'${from === undefined ? '' : ` (was '${from}')`}: ` +
          `${rebuilt.length} projections rebuilt; run the projectors with TALLY_PROJECTOR_GROUP=${group}`,
      );
  });
}

/**
 * Sets `group`'s committed offsets in Kafka to what the owner stored (the start of the
 * partition where it stored none), so that the new group's first fetch, which can come
 * before its seek to the stored offsets, never starts past them. The owner's offsets only
 * grow until the move, so these stay at or below the ones moved.
 */
async function commitStoredOffsets(
  admin: Admin,
  pool: Pool,
  topic: string,
  owner: string | undefined,
  group: string,
): Promise<void> {
  if (!(await admin.listTopics()).includes(topic)) return;
  const { rows } = await pool.query<{ partition: number; next_offset: string }>(
    'SELECT partition, next_offset FROM tally_kafka_offsets WHERE group_id = $1 AND topic = $2',
    [owner ?? null, topic],
  );
  const stored = new Map(rows.map((r) => [r.partition, r.next_offset]));
  const ends = await admin.fetchTopicOffsets(topic);
  try {
    await admin.setOffsets({
      groupId: group,
      topic,
      partitions: ends.map((e) => ({
        partition: e.partition,
        offset: stored.get(e.partition) ?? e.low,
      })),
    });
  } catch (error) {
    throw new Error(
      `could not set the committed offsets of consumer group '${group}' (stop its projectors first): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
