import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { type PostgresEventStore } from '../../libs/event-store/src';
import { Relay } from '../../libs/relay/src';
import { useKafkaTestbed } from '../support/kafka-testbed';
import type { TestDatabase } from '../support/test-database';

const STREAMS = 40;
const APPENDS_PER_STREAM = 10;
const EVENTS_PER_APPEND = 3;
const TOTAL = STREAMS * APPENDS_PER_STREAM * EVENTS_PER_APPEND;

interface Received {
  key: string;
  partition: number;
  headers: Record<string, string>;
  value: { id: string; streamId: string; revision: number; position: string };
}

describe('the relay on a real Kafka broker', () => {
  const bed = useKafkaTestbed();
  const store = (): PostgresEventStore => bed.store();
  const db = (): TestDatabase => bed.db();

  it(`publishes all ${TOTAL} events once, keyed by stream, with type/position/revision/event-id headers, in stream order`, async () => {
    let last = 0n;
    await Promise.all(
      Array.from({ length: STREAMS }, async (_, s) => {
        for (let a = 0; a < APPENDS_PER_STREAM; a++) {
          const events = Array.from({ length: EVENTS_PER_APPEND }, (_, e) => ({
            type: 'Counted',
            data: { s, a, e },
          }));
          const { position } = await store().append(`counter-${s}|x`, events, 'any');
          if (position > last) last = position;
        }
      }),
    );
    const kafka = new Kafka({
      clientId: 'tally-test',
      brokers: bed.broker().brokers,
      logLevel: logLevel.NOTHING,
    });
    const topic = `tally.events.test.${randomBytes(4).toString('hex')}`;
    const relay = new Relay({
      pool: db().pool,
      store: store(),
      kafka,
      topic,
      partitions: 6,
      batchSize: 200,
    });
    await relay.start();

    const received: Received[] = [];
    const consumer = kafka.consumer({ groupId: `test-${randomBytes(4).toString('hex')}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const done = new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: ({ message, partition }) => {
          const headers = Object.fromEntries(
            Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
          );
          // The relay's watermarks carry no event (see the Kafka-mode read-your-writes).
          if (headers.type === 'tally.watermark') return Promise.resolve();
          received.push({
            key: String(message.key),
            partition,
            headers,
            value: JSON.parse(String(message.value)) as Received['value'],
          });
          if (received.length >= TOTAL) resolve();
          return Promise.resolve();
        },
      });
    });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`received ${received.length} of ${TOTAL}`)),
        90_000,
      );
    });
    try {
      await Promise.race([done, deadline]);
    } finally {
      clearTimeout(timer);
    }
    await consumer.disconnect();
    await relay.stop();

    expect(relay.published()).toBe(last);
    expect(new Set(received.map((r) => r.value.id)).size).toBe(TOTAL);
    for (const r of received) {
      expect(r.key).toBe(r.value.streamId);
      expect(r.headers).toEqual({
        type: 'Counted',
        position: r.value.position,
        revision: String(r.value.revision),
        'event-id': r.value.id,
      });
    }
    const byStream = new Map<string, Received[]>();
    for (const r of received) byStream.set(r.key, [...(byStream.get(r.key) ?? []), r]);
    expect(byStream.size).toBe(STREAMS);
    for (const events of byStream.values()) {
      expect(new Set(events.map((e) => e.partition)).size).toBe(1);
      expect(events.map((e) => e.value.revision)).toEqual(events.map((_, i) => i));
    }
    const { rows } = await db().pool.query<{ position: string }>(
      `SELECT position FROM tally_relay_checkpoints WHERE name = 'relay'`,
    );
    expect(BigInt(rows[0]!.position)).toBe(last);
  }, 180_000);
});
