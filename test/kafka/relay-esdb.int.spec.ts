import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { allMigrations } from '../../apps/shared/src/all-migrations';
import { EsdbEventStore } from '../../libs/event-store/src';
import { Relay } from '../../libs/relay/src';
import { startEsdbTestServer, type EsdbTestServer } from '../support/esdb';
import { useBroker, type Broker } from '../support/kafka-broker';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/**
 * The relay with the log in EventStoreDB (the real client over gRPC to the protocol test
 * server) and a real broker. EventStoreDB positions are byte offsets with gaps, `$all` holds
 * the server's own `$` events, and its forward read INCLUDES its start position: a relay
 * resuming from a checkpoint must neither publish the event at it again nor skip the next.
 */
const STREAMS = 30;
const APPENDS_PER_STREAM = 5;
const EVENTS_PER_APPEND = 2;
const TOTAL = STREAMS * APPENDS_PER_STREAM * EVENTS_PER_APPEND;
const LATER = 50;

interface Received {
  key: string;
  partition: number;
  headers: Record<string, string>;
  value: { id: string; streamId: string; revision: number; position: string };
}

describe('the relay on a real Kafka broker, the log in EventStoreDB', () => {
  let broker: Broker;
  let esdb: EsdbTestServer;
  let db: TestDatabase;
  let store: EsdbEventStore;
  let kafka: Kafka;
  const topic = `tally.events.esdb.${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    broker = await useBroker();
    esdb = await startEsdbTestServer();
    db = await createTestDatabase(allMigrations(), 6);
    store = new EsdbEventStore({ url: esdb.url, pool: db.pool, pollIntervalMs: 100 });
    kafka = new Kafka({
      clientId: 'tally-test',
      brokers: broker.brokers,
      logLevel: logLevel.NOTHING,
    });
  }, 180_000);
  afterAll(async () => {
    await store?.close();
    await esdb?.stop();
    await db?.drop();
    await broker?.stop();
  }, 90_000);

  const relay = (name = 'relay', topicName = topic): Relay =>
    new Relay({
      pool: db.pool,
      store,
      kafka,
      topic: topicName,
      partitions: 6,
      batchSize: 64,
      name,
    });

  const checkpoint = async (name = 'relay'): Promise<bigint> => {
    const { rows } = await db.pool.query<{ position: string }>(
      'SELECT position FROM tally_relay_checkpoints WHERE name = $1',
      [name],
    );
    return BigInt(rows[0]!.position);
  };

  /** Runs a relay until its checkpoint is the store's head, then stops it. */
  const publishAll = async (run: Relay): Promise<bigint> => {
    const head = await store.headPosition();
    await run.start();
    const deadline = Date.now() + 90_000;
    while (run.published() < head) {
      if (Date.now() > deadline) throw new Error(`published ${run.published()} of ${head}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await run.stop();
    return head;
  };

  it(`publishes all ${TOTAL} events once, keyed by stream, with type/position/revision/event-id headers, in stream order; the checkpoint reaches the head`, async () => {
    await Promise.all(
      Array.from({ length: STREAMS }, async (_, s) => {
        for (let a = 0; a < APPENDS_PER_STREAM; a++) {
          const events = Array.from({ length: EVENTS_PER_APPEND }, (_, e) => ({
            type: 'Counted',
            data: { s, a, e },
          }));
          await store.append(`counter-${s}|x`, events, 'any');
        }
      }),
    );
    const run = relay();
    const head = await publishAll(run);

    expect(head).toBeGreaterThan(0n);
    expect(run.published()).toBe(head);
    expect(await checkpoint()).toBe(head);
    const received = await readTopic(kafka, topic);
    expect(received).toHaveLength(TOTAL);
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
    const logged = await store.readAll(0n, 1000);
    expect(received.map((r) => r.value.id).sort()).toEqual(logged.map((e) => e.id).sort());
    const byStream = new Map<string, Received[]>();
    for (const r of received) byStream.set(r.key, [...(byStream.get(r.key) ?? []), r]);
    expect(byStream.size).toBe(STREAMS);
    for (const events of byStream.values()) {
      expect(new Set(events.map((e) => e.partition)).size).toBe(1);
      expect(events.map((e) => e.value.revision)).toEqual(events.map((_, i) => i));
    }
  }, 180_000);

  it('restarted from its checkpoint, publishes only the later events: the event at the checkpoint not again, the next one not skipped', async () => {
    const before = await checkpoint();
    for (let i = 0; i < LATER; i++) {
      await store.append(`later-${i % 5}|x`, [{ type: 'Counted', data: { i } }], 'any');
    }
    const head = await publishAll(relay());
    expect(await checkpoint()).toBe(head);

    const received = await readTopic(kafka, topic);
    expect(received).toHaveLength(TOTAL + LATER);
    expect(new Set(received.map((r) => r.value.id)).size).toBe(TOTAL + LATER);
    const later = received.filter((r) => BigInt(r.value.position) > before);
    const expected = await store.readAll(before, 1000);
    expect(expected).toHaveLength(LATER);
    expect(later.map((r) => r.value.id).sort()).toEqual(expected.map((e) => e.id).sort());
    // The event AT the checkpoint came out once, in the first run.
    expect(received.filter((r) => BigInt(r.value.position) === before)).toHaveLength(1);
  }, 180_000);

  it('from a checkpoint set in the middle of the log, starts with the very next event', async () => {
    const logged = await store.readAll(0n, 1000);
    const at = logged[100]!;
    const name = 'relay-mid';
    const midTopic = `${topic}.mid`;
    await db.pool.query('INSERT INTO tally_relay_checkpoints (name, position) VALUES ($1, $2)', [
      name,
      at.position.toString(),
    ]);
    await publishAll(relay(name, midTopic));

    const received = await readTopic(kafka, midTopic);
    expect(received.map((r) => r.value.id).sort()).toEqual(
      logged
        .slice(101)
        .map((e) => e.id)
        .sort(),
    );
    const first = received.reduce((a, b) =>
      BigInt(a.value.position) < BigInt(b.value.position) ? a : b,
    );
    expect(first.value.id).toBe(logged[101]!.id);
  }, 180_000);
});

/** Every event message on `topic` up to its current end (watermarks left out), once the relay stopped. */
async function readTopic(kafka: Kafka, topic: string): Promise<Received[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const remaining = new Map(
    ends.filter((p) => BigInt(p.high) > 0n).map((p) => [p.partition, BigInt(p.high) - 1n]),
  );
  const received: Received[] = [];
  const consumer = kafka.consumer({ groupId: `test-${randomBytes(4).toString('hex')}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`read ${received.length} events`)), 90_000);
      if (remaining.size === 0) resolve();
      void consumer.run({
        eachMessage: ({ message, partition }) => {
          const headers = Object.fromEntries(
            Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
          );
          if (headers.type !== 'tally.watermark') {
            received.push({
              key: String(message.key),
              partition,
              headers,
              value: JSON.parse(String(message.value)) as Received['value'],
            });
          }
          if (BigInt(message.offset) >= (remaining.get(partition) ?? -1n)) {
            remaining.delete(partition);
            if (remaining.size === 0) resolve();
          }
          return Promise.resolve();
        },
      });
    });
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  return received;
}
