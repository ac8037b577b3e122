import { Kafka, logLevel } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { allMigrations } from '../../apps/shared/src/all-migrations';
import { PostgresEventStore } from '../../libs/event-store/src';
import type { Projection } from '../../libs/projections/src';
import { allProjections } from '../../projections';
import { useBroker, type Broker } from './kafka-broker';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface KafkaTestbed {
  broker(): Broker;
  db(): TestDatabase;
  store(): PostgresEventStore;
  kafka(): Kafka;
  /** A topic name of this test's own, so tests sharing a broker never read each other. */
  topic(prefix?: string): string;
}

/** A real broker (see useBroker) and a fresh database with the read tables of `projections`. */
export function useKafkaTestbed(projections: readonly Projection[] = allProjections): KafkaTestbed {
  let broker: Broker | undefined;
  let db: TestDatabase | undefined;
  let store: PostgresEventStore | undefined;
  beforeAll(async () => {
    broker = await useBroker();
    db = await createTestDatabase(allMigrations(projections));
    store = new PostgresEventStore({ pool: db.pool, url: db.url, pollIntervalMs: 100 });
  }, 180_000);
  afterAll(async () => {
    await store?.close();
    await db?.drop();
    await broker?.stop();
  }, 90_000);
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} used outside the test file's hooks`);
    return value;
  };
  return {
    broker: () => need(broker, 'broker'),
    db: () => need(db, 'db'),
    store: () => need(store, 'store'),
    kafka: () =>
      new Kafka({
        clientId: 'tally-test',
        brokers: need(broker, 'broker').brokers,
        logLevel: logLevel.NOTHING,
      }),
    topic: (prefix = 'tally.events.test') => `${prefix}.${randomBytes(4).toString('hex')}`,
  };
}
