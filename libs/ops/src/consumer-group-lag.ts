import type { Admin } from 'kafkajs';
import type { Pool } from 'pg';

export interface PartitionLag {
  group: string;
  topic: string;
  partition: number;
  logEndOffset: number;
  /** The next offset the group will fold, as stored with its read tables. */
  storedOffset: number;
  lag: number;
}

/**
 * Consumer lag = log end offset − stored offset, per partition. The stored offset is the one
 * written in the projection's transaction, which is the one that counts: the offset committed
 * to Kafka follows it and may trail after a crash.
 */
export async function readConsumerGroupLag(
  pool: Pool,
  admin: Admin,
  topic: string,
  groups: readonly string[] = [],
): Promise<PartitionLag[]> {
  const ends = await admin.fetchTopicOffsets(topic);
  const exists = await pool.query<{ t: string | null }>(
    `SELECT to_regclass('tally_kafka_offsets')::text AS t`,
  );
  const stored = exists.rows[0]?.t
    ? (
        await pool.query<{ group_id: string; partition: number; next_offset: string }>(
          'SELECT group_id, partition, next_offset FROM tally_kafka_offsets WHERE topic = $1',
          [topic],
        )
      ).rows
    : [];
  const offsets = new Map(
    stored.map((r) => [`${r.group_id}/${r.partition}`, Number(r.next_offset)]),
  );
  const groupIds = [...new Set([...groups, ...stored.map((r) => r.group_id)])].sort();
  return groupIds.flatMap((group) =>
    ends
      .map((end) => {
        const logEndOffset = Number(end.high);
        const storedOffset = offsets.get(`${group}/${end.partition}`) ?? Number(end.low);
        return {
          group,
          topic,
          partition: end.partition,
          logEndOffset,
          storedOffset,
          lag: Math.max(0, logEndOffset - storedOffset),
        };
      })
      .sort((a, b) => a.partition - b.partition),
  );
}

/** Rejects after `ms` instead of waiting on a broker that does not answer. */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
