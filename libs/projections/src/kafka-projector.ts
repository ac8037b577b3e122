import type { RecordedEvent } from '@tally/event-store';
import { inTransaction } from '@tally/infra';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import { advanceToGroupWatermark, ensureCheckpoints, recordTaken } from './checkpoints';
import { fromMessageValue, watermarkOf } from './kafka-message';
import { claimOwnership, holdOwnership, KafkaGroupRefused } from './kafka-owner';
import { waitForTopic } from './kafka-topic';
import { foldOrPark } from './parking';
import type { Projection } from './projection';

export interface KafkaProjectorOptions {
  pool: Pool;
  kafka: Kafka;
  topic: string;
  groupId: string;
  projections: readonly Projection[];
  onCommitted?: (partition: number, nextOffset: string, events: number) => void;
  /** After a batch's commit, per projection that folded events in it: how many. */
  onFolded?: (projection: string, events: number) => void;
  /** The consumer crashed (kafkajs then restarts it, or gives up and the process ends). */
  onCrash?: (error: Error) => void;
  /**
   * How soon a dead member's partitions move to the others (a killed process sends no leave:
   * they wait this long). Default 30 s, kafkajs's; heartbeats every tenth of it.
   */
  sessionTimeoutMs?: number;
  /** While the topic does not exist yet (the relay creates it): how long waited, and why. */
  onWaiting?: (waitedMs: number, reason: string) => void;
  /** Another group took the tables over while this one ran: it stops consuming. */
  onRefused?: (error: KafkaGroupRefused) => void;
}

/**
 * The projections as a Kafka consumer group. Each partition's next offset is stored in
 * PostgreSQL in the transaction that applies its batch, and sought on assignment; anything
 * below it is skipped inside that transaction (assignment is asynchronous, a fetch can come
 * first), and so is any event whose stream revision was already applied (a relay resend).
 * Offsets are committed to Kafka after the database commit, for standard lag tools.
 */
export class KafkaProjector {
  private consumer: Consumer | undefined;
  private readonly stopping = new AbortController();

  constructor(private readonly options: KafkaProjectorOptions) {}

  /**
   * Claims the read tables for the group (throws KafkaGroupRefused when another group owns
   * them), waits for the topic, then joins the group.
   */
  async start(): Promise<void> {
    const { kafka, topic, groupId } = this.options;
    await ensureCheckpoints(
      this.options.pool,
      this.options.projections.map((p) => p.name),
    );
    await claimOwnership(this.options.pool, groupId);
    await waitForTopic(kafka, topic, {
      onWaiting: this.options.onWaiting,
      signal: this.stopping.signal,
    });
    const sessionTimeout = this.options.sessionTimeoutMs ?? 30_000;
    const consumer = kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      sessionTimeout,
      heartbeatInterval: Math.max(100, Math.floor(sessionTimeout / 10)),
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      const partitions = payload.memberAssignment[topic] ?? [];
      // Unawaited, so it must not reject: a crash between the join and the seek (a broker
      // restarting) leaves no group to seek in and kafkajs throws, which would end the process.
      // The restarted consumer joins and seeks again; a fetch from Kafka's own committed offset
      // is safe meanwhile (that offset never passes the stored one, the filter skips the rest).
      this.seekStored(partitions).catch(() => undefined);
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => this.options.onCrash?.(payload.error));
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.apply(payload),
    });
  }

  async stop(): Promise<void> {
    this.stopping.abort(new Error('the projector was stopped'));
    await this.consumer?.disconnect();
  }

  private async seekStored(partitions: number[]): Promise<void> {
    const { rows } = await this.options.pool.query<{ partition: number; next_offset: string }>(
      'SELECT partition, next_offset FROM tally_kafka_offsets WHERE group_id = $1 AND topic = $2 AND partition = ANY($3)',
      [this.options.groupId, this.options.topic, partitions],
    );
    for (const row of rows)
      this.consumer?.seek({
        topic: this.options.topic,
        partition: row.partition,
        offset: row.next_offset,
      });
  }

  private async apply(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const last = batch.messages[batch.messages.length - 1];
    if (!last) return;
    const next = (BigInt(last.offset) + 1n).toString();
    const applied = await inTransaction(this.options.pool, async (client) => {
      await holdOwnership(client, this.options.groupId);
      const stored = await this.lockOffset(client, batch.partition);
      const fresh = batch.messages.filter((m) => BigInt(m.offset) >= stored);
      const marks: { position: bigint; partitions: number }[] = [];
      const decoded: RecordedEvent[] = [];
      for (const m of fresh) {
        const mark = watermarkOf(m.headers, m.value);
        if (mark) marks.push(mark);
        else {
          const event = fromMessageValue(m.value);
          if (event) decoded.push(event);
        }
      }
      const events = await this.unseen(client, decoded);
      const taken = new Map<string, number>();
      const folded = new Map<string, number>();
      for (const projection of this.options.projections) {
        const relevant = events.filter((e) => projection.eventTypes.includes(e.type));
        // What the fold refuses is parked; the offsets still move past it.
        if (relevant.length === 0) continue;
        const outcome = await foldOrPark(client, projection, relevant);
        taken.set(projection.name, relevant.length);
        if (outcome.folded.length > 0) folded.set(projection.name, outcome.folded.length);
      }
      if (BigInt(next) > stored) {
        await client.query(
          `UPDATE tally_kafka_offsets SET next_offset = $4, updated_at = now() WHERE group_id = $1 AND topic = $2 AND partition = $3`,
          [this.options.groupId, this.options.topic, batch.partition, next],
        );
      }
      if (marks.length > 0) await this.advanceCheckpoints(client, batch.partition, marks);
      return { events: events.length, taken, folded };
    }).catch((error: unknown) => {
      if (error instanceof KafkaGroupRefused) this.options.onRefused?.(error);
      throw error;
    });
    // Counted once PostgreSQL holds the batch: the broker's offset commit below can still
    // fail (broker restarting), and the redelivered batch is then skipped, never folded again.
    for (const [name, n] of applied.folded) this.options.onFolded?.(name, n);
    this.options.onCommitted?.(batch.partition, next, applied.events);
    // Best effort: the rate is a figure for operators, the batch is committed either way.
    await recordTaken(this.options.pool, applied.taken).catch(() => undefined);
    payload.resolveOffset(last.offset);
    await this.consumer?.commitOffsets([
      { topic: batch.topic, partition: batch.partition, offset: next },
    ]);
    await payload.heartbeat();
  }

  /**
   * Records the partition's newest watermark, then moves every projection's checkpoint to the
   * lowest watermark over all partitions: the position up to which the group has folded every
   * event. Reads (minPosition, /projections) then work as in log mode.
   */
  private async advanceCheckpoints(
    client: PoolClient,
    partition: number,
    marks: readonly { position: bigint; partitions: number }[],
  ): Promise<void> {
    const { groupId, topic, projections } = this.options;
    const newest = marks.reduce((a, b) => (b.position > a.position ? b : a));
    await client.query(
      `UPDATE tally_kafka_offsets SET watermark = GREATEST(watermark, $4)
        WHERE group_id = $1 AND topic = $2 AND partition = $3`,
      [groupId, topic, partition, newest.position.toString()],
    );
    await advanceToGroupWatermark(client, {
      groupId,
      topic,
      names: projections.map((p) => p.name),
      partitions: newest.partitions,
    });
  }

  private async lockOffset(client: PoolClient, partition: number): Promise<bigint> {
    const { groupId, topic } = this.options;
    await client.query(
      `INSERT INTO tally_kafka_offsets (group_id, topic, partition, next_offset) VALUES ($1, $2, $3, 0) ON CONFLICT DO NOTHING`,
      [groupId, topic, partition],
    );
    const { rows } = await client.query<{ next_offset: string }>(
      `SELECT next_offset FROM tally_kafka_offsets WHERE group_id = $1 AND topic = $2 AND partition = $3 FOR UPDATE`,
      [groupId, topic, partition],
    );
    return BigInt(rows[0]?.next_offset ?? 0);
  }

  /** Drops events whose stream revision this group already applied, and records the new ones. */
  private async unseen(client: PoolClient, events: RecordedEvent[]): Promise<RecordedEvent[]> {
    if (events.length === 0) return [];
    const streams = [...new Set(events.map((e) => e.streamId))];
    const { rows } = await client.query<{ stream_id: string; revision: string }>(
      'SELECT stream_id, revision FROM tally_kafka_stream_progress WHERE group_id = $1 AND stream_id = ANY($2)',
      [this.options.groupId, streams],
    );
    const applied = new Map(rows.map((r) => [r.stream_id, Number(r.revision)]));
    const fresh: RecordedEvent[] = [];
    for (const event of events) {
      if (event.revision <= (applied.get(event.streamId) ?? -1)) continue;
      applied.set(event.streamId, event.revision);
      fresh.push(event);
    }
    const touched = [...new Set(fresh.map((e) => e.streamId))];
    if (touched.length > 0) {
      await client.query(
        `INSERT INTO tally_kafka_stream_progress (group_id, stream_id, revision)
         SELECT $1, s, r FROM unnest($2::text[], $3::bigint[]) AS t(s, r)
         ON CONFLICT (group_id, stream_id) DO UPDATE SET revision = EXCLUDED.revision`,
        [this.options.groupId, touched, touched.map((s) => applied.get(s)!)],
      );
    }
    return fresh;
  }
}
