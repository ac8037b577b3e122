import { join, resolve } from 'node:path';
import { loadConfig } from './config';

describe('loadConfig', () => {
  describe('the Kafka and projector settings', () => {
    it('defaults to topic tally.events with 6 partitions, group tally-projectors, batches of 1000', () => {
      const config = loadConfig({});
      expect(config).toMatchObject({
        kafkaBrokers: [],
        kafkaTopic: 'tally.events',
        kafkaTopicPartitions: 6,
        projectorGroup: 'tally-projectors',
        projectorBatchSize: 1000,
      });
    });

    it('takes each from its variable', () => {
      const config = loadConfig({
        KAFKA_BROKERS: 'a:9092, b:9092',
        TALLY_TOPIC: 'tally.events.eu-1_b',
        TALLY_TOPIC_PARTITIONS: '12',
        TALLY_PROJECTOR_GROUP: 'projectors eu/1',
        TALLY_PROJECTOR_BATCH: '250',
      });
      expect(config).toMatchObject({
        kafkaBrokers: ['a:9092', 'b:9092'],
        kafkaTopic: 'tally.events.eu-1_b',
        kafkaTopicPartitions: 12,
        projectorGroup: 'projectors eu/1',
        projectorBatchSize: 250,
      });
    });

    it('treats an empty variable as unset', () => {
      const config = loadConfig({
        TALLY_TOPIC: '',
        TALLY_TOPIC_PARTITIONS: '',
        TALLY_PROJECTOR_GROUP: '',
        TALLY_PROJECTOR_BATCH: '',
      });
      expect(config).toMatchObject({
        kafkaTopic: 'tally.events',
        kafkaTopicPartitions: 6,
        projectorGroup: 'tally-projectors',
        projectorBatchSize: 1000,
      });
    });

    it.each([
      ['TALLY_TOPIC_PARTITIONS', '0'],
      ['TALLY_TOPIC_PARTITIONS', 'six'],
      ['TALLY_TOPIC_PARTITIONS', '2.5'],
      ['TALLY_PROJECTOR_BATCH', '-1'],
      ['TALLY_PROJECTOR_BATCH', '1e3x'],
    ])('refuses %s=%s: it must be a positive integer', (name, value) => {
      expect(() => loadConfig({ [name]: value })).toThrow(
        `${name} must be a positive integer, got '${value}'`,
      );
    });

    it('takes the group session timeout from TALLY_KAFKA_SESSION_TIMEOUT_MS, default 30000 (kafkajs)', () => {
      expect(loadConfig({}).kafkaSessionTimeoutMs).toBe(30_000);
      expect(loadConfig({ TALLY_KAFKA_SESSION_TIMEOUT_MS: '8000' }).kafkaSessionTimeoutMs).toBe(
        8000,
      );
      expect(() => loadConfig({ TALLY_KAFKA_SESSION_TIMEOUT_MS: '10s' })).toThrow(
        "TALLY_KAFKA_SESSION_TIMEOUT_MS must be a positive integer, got '10s'",
      );
      expect(() => loadConfig({ TALLY_KAFKA_SESSION_TIMEOUT_MS: '500' })).toThrow(
        "TALLY_KAFKA_SESSION_TIMEOUT_MS must be from 6000 to 1800000, got '500'",
      );
    });

    it.each([
      ['a space', 'tally events'],
      ['a slash', 'tally/events'],
      ['only dots', '..'],
      ['a letter outside ASCII', 'ü'],
      ['more than 249 characters', 'x'.repeat(250)],
    ])('refuses a TALLY_TOPIC with %s: Kafka would not accept it', (_, value) => {
      expect(() => loadConfig({ TALLY_TOPIC: value })).toThrow(
        `TALLY_TOPIC must be a Kafka topic name (A-Z a-z 0-9 . _ -), got '${value}'`,
      );
    });
  });

  describe('the database timeouts', () => {
    it('wait at most 5 s for a connection and set no statement timeout by default', () => {
      expect(loadConfig({})).toMatchObject({ pgConnectTimeoutMs: 5000, pgStatementTimeoutMs: 0 });
    });

    it('takes each from its variable; a statement timeout of 0 is none', () => {
      const config = loadConfig({
        TALLY_PG_CONNECT_TIMEOUT_MS: '1500',
        TALLY_PG_STATEMENT_TIMEOUT_MS: '0',
      });
      expect(config).toMatchObject({ pgConnectTimeoutMs: 1500, pgStatementTimeoutMs: 0 });
      expect(loadConfig({ TALLY_PG_STATEMENT_TIMEOUT_MS: '30000' }).pgStatementTimeoutMs).toBe(
        30000,
      );
    });

    it('refuses a negative or fractional timeout, and a connect timeout of 0', () => {
      expect(() => loadConfig({ TALLY_PG_STATEMENT_TIMEOUT_MS: '-1' })).toThrow(
        "TALLY_PG_STATEMENT_TIMEOUT_MS must be a non-negative integer, got '-1'",
      );
      expect(() => loadConfig({ TALLY_PG_CONNECT_TIMEOUT_MS: '0' })).toThrow(
        "TALLY_PG_CONNECT_TIMEOUT_MS must be a positive integer, got '0'",
      );
    });
  });

  describe('the data directory', () => {
    const root = resolve(__dirname, '..', '..', '..');
    it("is .tally in Tally's own folder whatever the working directory", () => {
      const cwd = process.cwd();
      try {
        process.chdir(__dirname);
        expect(loadConfig({}).dataDir).toBe(join(root, '.tally'));
      } finally {
        process.chdir(cwd);
      }
    });
    it('takes TALLY_DATA_DIR relative to the working directory', () => {
      expect(loadConfig({ TALLY_DATA_DIR: 'data' }).dataDir).toBe(resolve('data'));
      expect(loadConfig({ TALLY_DATA_DIR: '/var/lib/tally' }).dataDir).toBe('/var/lib/tally');
    });
  });

  it('refuses a port that is not a positive integer, naming the variable', () => {
    expect(() => loadConfig({ PORT: 'http' })).toThrow(
      "PORT must be a positive integer, got 'http'",
    );
  });

  describe('EVENTSTORE_URL', () => {
    it('is unset by default (the event log stays in PostgreSQL)', () => {
      expect(loadConfig({}).eventStoreUrl).toBeUndefined();
      expect(loadConfig({ EVENTSTORE_URL: '' }).eventStoreUrl).toBeUndefined();
    });

    it('takes an esdb:// connection string as given', () => {
      const url = 'esdb://127.0.0.1:2113?tls=false';
      expect(loadConfig({ EVENTSTORE_URL: url }).eventStoreUrl).toBe(url);
      expect(loadConfig({ EVENTSTORE_URL: 'esdb+discover://cluster:2113' }).eventStoreUrl).toBe(
        'esdb+discover://cluster:2113',
      );
    });

    it.each(['http://127.0.0.1:2113', 'postgres://x', 'esdb://'])('refuses %s', (value) => {
      expect(() => loadConfig({ EVENTSTORE_URL: value })).toThrow(
        `EVENTSTORE_URL must be an esdb:// connection string, got '${value}'`,
      );
    });
  });

  describe('TALLY_METRICS_PORT', () => {
    it('is unset by default (the projector and relay serve no metrics)', () => {
      expect(loadConfig({}).metricsPort).toBeUndefined();
      expect(loadConfig({ TALLY_METRICS_PORT: '' }).metricsPort).toBeUndefined();
      expect(loadConfig({ TALLY_METRICS_PORT: '9464' }).metricsPort).toBe(9464);
    });

    it.each(['0', '65536', 'abc', '-1'])('refuses %s', (value) => {
      expect(() => loadConfig({ TALLY_METRICS_PORT: value })).toThrow(
        /^TALLY_METRICS_PORT must be/,
      );
    });
  });
});
