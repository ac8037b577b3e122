import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { PostgresEventStore, eventStoreMigrations } from '../../libs/event-store/src';
import { Relay, relayMigrations } from '../../libs/relay/src';
import { useBroker, type Broker } from '../support/kafka-broker';
import { until } from '../support/projection-harness';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const run = promisify(execFile);

/** A client no one here wrote (kcat, from Debian) reads what the relay published. */
describe('the topic read by kcat', () => {
  let broker: Broker;
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    broker = await useBroker();
    db = await createTestDatabase([...eventStoreMigrations, ...relayMigrations]);
    store = new PostgresEventStore({ pool: db.pool, url: db.url, pollIntervalMs: 100 });
  }, 180_000);
  afterAll(async () => {
    await store.close();
    await db.drop();
    await broker?.stop();
  }, 90_000);

  it('sees every event with its key and its type, position, revision and event-id headers', async () => {
    const appended: bigint[] = [];
    for (let i = 0; i < 20; i++) {
      const { position } = await store.append(
        `item-k${i % 4}`,
        [{ type: 'Restocked', data: { sku: `k${i % 4}`, quantity: 1, stock: i } }],
        'any',
      );
      appended.push(position);
    }
    const topic = `tally.events.kcat.${randomBytes(4).toString('hex')}`;
    const kafka = new Kafka({
      clientId: 'tally-test',
      brokers: broker.brokers,
      logLevel: logLevel.NOTHING,
    });
    const relay = new Relay({ pool: db.pool, store, kafka, topic, partitions: 3 });
    await relay.start();
    await until(
      () => Promise.resolve(relay.published() >= appended.at(-1)!),
      'the relay to publish',
    );
    await relay.stop();

    const { stdout } = await run(
      'kcat',
      ['-b', broker.brokers[0]!, '-t', topic, '-C', '-e', '-q', '-f', '%k\t%h\t%s\n'],
      { timeout: 60_000 },
    );
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(20);
    const positions = new Set(appended.map(String));
    for (const line of lines) {
      const [key, headers, value] = line.split('\t') as [string, string, string];
      const event = JSON.parse(value) as {
        id: string;
        streamId: string;
        revision: number;
        position: string;
      };
      expect(key).toBe(event.streamId);
      expect(positions.has(event.position)).toBe(true);
      expect(headers.split(',').sort()).toEqual(
        [
          `event-id=${event.id}`,
          `position=${event.position}`,
          `revision=${event.revision}`,
          'type=Restocked',
        ].sort(),
      );
    }
  }, 240_000);
});
