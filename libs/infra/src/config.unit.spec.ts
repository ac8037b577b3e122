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

  it('refuses a port that is not a positive integer, naming the variable', () => {
    expect(() => loadConfig({ PORT: 'http' })).toThrow(
      "PORT must be a positive integer, got 'http'",
    );
  });
});
