import {
  OutageLog,
  createLogger,
  kafkaLogCreator,
  loadConfig,
  migrate,
  onShutdownSignal,
  openDatabase,
} from '@tally/infra';
import { ProcessMetrics, serveMetrics, type MetricsServer } from '@tally/ops';
import { KafkaGroupRefused, KafkaProjector, Projector } from '@tally/projections';
import { Kafka, logLevel } from 'kafkajs';
import { allProjections } from '@tally/read-models';
import { allMigrations } from '../../shared/src/all-migrations';
import { startHeartbeat } from '../../shared/src/heartbeat';
import { openEventStore } from '../../shared/src/open-event-store';

/**
 * The projector as its own process (run the API with TALLY_PROJECTOR=off). Several may run:
 * the checkpoint row lock lets only one apply a given batch.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'tally-projector');
  const database = await openDatabase(config, (line) =>
    logger.debug({ component: 'postgres' }, line),
  );
  await migrate(database.pool, allMigrations());
  const metrics = new ProcessMetrics(database.pool);
  metrics.folding(allProjections.map((p) => p.name));
  let metricsServer: MetricsServer | undefined;
  if (config.metricsPort !== undefined) {
    metricsServer = await serveMetrics(metrics, config.metricsPort, config.host);
    logger.info({ port: metricsServer.port }, 'metrics on /metrics');
  }
  if (config.kafkaBrokers.length > 0) {
    metrics.usingKafka('projector');
    // Scale-out mode: a consumer group on the relay's topic instead of reading the log.
    const kafka = new Kafka({
      clientId: 'tally-projector',
      brokers: config.kafkaBrokers,
      logLevel: logLevel.WARN,
      // Its errors are counted where the consumer crashes (onCrash), not per log entry.
      logCreator: kafkaLogCreator(logger),
    });
    const consumer = new KafkaProjector({
      pool: database.pool,
      kafka,
      topic: config.kafkaTopic,
      groupId: config.projectorGroup,
      projections: allProjections,
      sessionTimeoutMs: config.kafkaSessionTimeoutMs,
      onCommitted: (partition, nextOffset, events) =>
        logger.debug({ partition, nextOffset, events }, 'batch committed'),
      onFolded: (projection, events) => metrics.folded(projection, events),
      onCrash: (error) => {
        metrics.kafkaError('projector');
        logger.warn({ err: error }, 'the Kafka consumer crashed');
      },
      onWaiting: (waitedMs, reason) =>
        logger.info(
          { topic: config.kafkaTopic, waitedSeconds: Math.round(waitedMs / 1000), reason },
          `waiting for the topic ${config.kafkaTopic} (the relay creates it)`,
        ),
      onRefused: (error) => {
        // Another group took the tables over: folding on would count its events twice.
        logger.error(error.message);
        void consumer.stop().finally(() => process.exit(1));
      },
    });
    await consumer.start();
    const stopHeartbeat = startHeartbeat(
      config.heartbeatFile,
      () => true,
      (error) => logger.warn({ err: error }, 'could not write the heartbeat file'),
    );
    logger.info(
      {
        projections: allProjections.map((p) => p.name),
        groupId: config.projectorGroup,
        topic: config.kafkaTopic,
      },
      'projector running (kafka)',
    );
    onShutdownSignal(async (signal) => {
      logger.info({ signal }, 'leaving the consumer group');
      await stopHeartbeat();
      await consumer.stop();
      await metricsServer?.close();
      await database.close();
    });
    return;
  }
  const store = openEventStore(config, database);
  const batchSize = config.projectorBatchSize;
  const outage = new OutageLog(logger, 'projector');
  const projector = new Projector({
    pool: database.pool,
    store,
    projections: allProjections,
    batchSize,
    onCommitted: (name, position, _changes, events) => {
      outage.recovered();
      metrics.folded(name, events.length);
      logger.debug(
        { projection: name, position: position.toString(), events: events.length },
        'batch committed',
      );
    },
    onError: (name, error) => {
      if (outage.failed(error, { projection: name })) return;
      logger.warn({ projection: name, err: error }, 'projection batch failed; retrying');
    },
  });
  await projector.start();
  const stopHeartbeat = startHeartbeat(
    config.heartbeatFile,
    () => !outage.down,
    (error) => logger.warn({ err: error }, 'could not write the heartbeat file'),
  );
  logger.info({ projections: allProjections.map((p) => p.name), batchSize }, 'projector running');
  onShutdownSignal(async (signal) => {
    logger.info({ signal }, 'stopping between batches');
    await stopHeartbeat();
    await projector.stop();
    await metricsServer?.close();
    await store.close();
    await database.close();
  });
}

main().catch((error: unknown) => {
  // A refusal is the operator's to resolve: the message says how; a stack would hide it.
  if (error instanceof KafkaGroupRefused) console.error(`tally-projector: ${error.message}`);
  else console.error(error);
  process.exit(1);
});
