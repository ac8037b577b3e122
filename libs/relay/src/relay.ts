import type { EventStore, EventSubscription } from '@tally/event-store';
import type { Kafka, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import { EVENTS_TOPIC, toMessage, toWatermark } from './event-message';

export interface RelayOptions {
  pool: Pool;
  store: EventStore;
  kafka: Kafka;
  topic?: string;
  partitions?: number;
  batchSize?: number;
  name?: string;
  /** Watermarks go out at most this often while events flow (ms). Default 100. */
  watermarkEveryMs?: number;
  onPublished?: (position: bigint, count: number) => void;
  onError?: (error: unknown) => void;
  /** An error of the producer (a send or a reconnection failed), also passed to onError. */
  onKafkaError?: (error: unknown) => void;
}

/**
 * Publishes the global log to Kafka, in order, at least once: a batch is sent with an
 * idempotent producer (acks from all in-sync replicas) and only then does the relay's
 * checkpoint advance. A crash between the two re-sends the batch; consumers tolerate that.
 */
export class Relay {
  private producer: Producer | undefined;
  private subscription: EventSubscription | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private position = 0n;
  private partitions = 0;
  private marked = -1n;
  private markedAt = 0;
  private markTimer: NodeJS.Timeout | undefined;
  private marking: Promise<void> = Promise.resolve();

  constructor(private readonly options: RelayOptions) {}

  get topic(): string {
    return this.options.topic ?? EVENTS_TOPIC;
  }

  /** The last position the broker acknowledged. */
  published(): bigint {
    return this.position;
  }

  async start(): Promise<void> {
    const { kafka, pool } = this.options;
    const admin = kafka.admin();
    await admin.connect();
    try {
      const topics = await admin.listTopics();
      if (!topics.includes(this.topic)) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: [
            {
              topic: this.topic,
              numPartitions: this.options.partitions ?? 6,
              replicationFactor: 1,
            },
          ],
        });
      }
      const metadata = await admin.fetchTopicMetadata({ topics: [this.topic] });
      this.partitions = metadata.topics[0]?.partitions.length ?? 0;
    } finally {
      await admin.disconnect();
    }
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    const name = this.options.name ?? 'relay';
    await pool.query(
      'INSERT INTO tally_relay_checkpoints (name) VALUES ($1) ON CONFLICT DO NOTHING',
      [name],
    );
    const { rows } = await pool.query<{ position: string }>(
      'SELECT position FROM tally_relay_checkpoints WHERE name = $1',
      [name],
    );
    this.position = BigInt(rows[0]?.position ?? 0);
    // What an earlier run had acknowledged: consumers can report it before anything new comes.
    await this.mark();
    this.loop = this.follow(name);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.markTimer);
    await this.subscription?.close();
    await this.loop;
    // The last acknowledged position, so consumers can account for everything published.
    await this.mark();
    await this.producer?.disconnect();
  }

  /** Sends the watermark now, or schedules it so that they go out at most every few ms. */
  private markSoon(): void {
    const every = this.options.watermarkEveryMs ?? 100;
    const wait = this.markedAt + every - Date.now();
    if (wait <= 0) {
      void this.mark();
      return;
    }
    this.markTimer ??= setTimeout(() => {
      this.markTimer = undefined;
      void this.mark();
    }, wait);
  }

  /** A watermark on every partition at the acknowledged position; failures wait for the next. */
  private mark(): Promise<void> {
    this.marking = this.marking.then(async () => {
      const position = this.position;
      if (position === this.marked || !this.producer || this.partitions === 0) return;
      this.markedAt = Date.now();
      try {
        await this.producer.send({
          topic: this.topic,
          acks: -1,
          messages: Array.from({ length: this.partitions }, (_, p) =>
            toWatermark(position, p, this.partitions),
          ),
        });
        this.marked = position;
      } catch (error) {
        this.options.onKafkaError?.(error);
        this.options.onError?.(error);
        if (!this.stopping) {
          this.markTimer ??= setTimeout(() => {
            this.markTimer = undefined;
            void this.mark();
          }, 1000);
        }
      }
    });
    return this.marking;
  }

  private async follow(name: string): Promise<void> {
    let sendFailed = false;
    while (!this.stopping) {
      try {
        // After a failed send the broker may hold it while its ack was lost: a fresh producer
        // id makes the resend (possibly cut into other batches) a harmless duplicate instead
        // of an out-of-order sequence the old producer would be refused on forever.
        if (sendFailed) await this.replaceProducer();
        sendFailed = false;
        this.subscription = this.options.store.subscribeToAll(this.position, {
          batchSize: this.options.batchSize ?? 500,
        });
        for await (const batch of this.subscription.batches()) {
          sendFailed = true;
          await this.producer!.send({
            topic: this.topic,
            acks: -1,
            messages: batch.map(toMessage),
          });
          sendFailed = false;
          const last = batch[batch.length - 1]!.position;
          await this.options.pool.query(
            'UPDATE tally_relay_checkpoints SET position = $2, updated_at = now() WHERE name = $1',
            [name, last.toString()],
          );
          this.position = last;
          this.options.onPublished?.(last, batch.length);
          this.markSoon();
        }
      } catch (error) {
        // Still set: the send (or the producer's replacement) failed, not the read of the log.
        if (sendFailed) this.options.onKafkaError?.(error);
        this.options.onError?.(error);
        await this.subscription?.close();
        if (!this.stopping) await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  private async replaceProducer(): Promise<void> {
    const fresh = this.options.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await fresh.connect();
    const old = this.producer;
    this.producer = fresh;
    await old?.disconnect().catch(() => undefined);
  }
}
