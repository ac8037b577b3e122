import {
  OutageLog,
  createLogger,
  kafkaLogCreator,
  loadConfig,
  migrate,
  onShutdownSignal,
  openDatabase,
} from '@tally/infra';
import { ProcessMetrics, serveMetrics } from '@tally/ops';
import { Relay } from '@tally/relay';
import { Kafka, logLevel } from 'kafkajs';
import { allMigrations } from '../../shared/src/all-migrations';
import { startHeartbeat } from '../../shared/src/heartbeat';
import { openEventStore } from '../../shared/src/open-event-store';

/** Publishes the global log to Kafka (`KAFKA_BROKERS`); its checkpoint advances only after the broker acknowledged. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'tally-relay');
  if (config.kafkaBrokers.length === 0)
    throw new Error('KAFKA_BROKERS is unset: the relay has nowhere to publish');
  const database = await openDatabase(config, (line) =>
    logger.debug({ component: 'postgres' }, line),
  );
  await migrate(database.pool, allMigrations());
  const store = openEventStore(config, database);
  const metrics = new ProcessMetrics(database.pool);
  metrics.usingKafka('relay');
  const metricsServer =
    config.metricsPort === undefined
      ? undefined
      : await serveMetrics(metrics, config.metricsPort, config.host);
  if (metricsServer) logger.info({ port: metricsServer.port }, 'metrics on /metrics');
  const kafka = new Kafka({
    clientId: 'tally-relay',
    brokers: config.kafkaBrokers,
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(logger, () => metrics.kafkaError('relay')),
  });
  const outage = new OutageLog(logger, 'relay');
  const relay = new Relay({
    pool: database.pool,
    store,
    kafka,
    topic: config.kafkaTopic,
    partitions: config.kafkaTopicPartitions,
    onPublished: (position, count) => {
      outage.recovered();
      logger.debug({ position: position.toString(), count }, 'published');
    },
    onKafkaError: () => metrics.kafkaError('relay'),
    onError: (error) => {
      if (outage.failed(error)) return;
      logger.warn({ err: error }, 'publish failed; retrying from the checkpoint');
    },
  });
  await relay.start();
  const stopHeartbeat = startHeartbeat(
    config.heartbeatFile,
    () => !outage.down,
    (error) => logger.warn({ err: error }, 'could not write the heartbeat file'),
  );
  logger.info({ topic: relay.topic, from: relay.published().toString() }, 'relay running');
  onShutdownSignal(async (signal) => {
    logger.info({ signal }, 'stopping the relay');
    await stopHeartbeat();
    await relay.stop();
    await metricsServer?.close();
    await store.close();
    await database.close();
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
