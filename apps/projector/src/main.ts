import { PostgresEventStore, eventStoreMigrations } from '@tally/event-store';
import { idempotencyMigrations } from '@tally/commands';
import { createLogger, loadConfig, migrate, onShutdownSignal, openDatabase } from '@tally/infra';
import { Projector, checkpointMigrations, projectionMigrations } from '@tally/projections';
import { allProjections } from '@tally/read-models';

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
  await migrate(database.pool, [
    ...eventStoreMigrations,
    ...idempotencyMigrations,
    ...checkpointMigrations,
    ...projectionMigrations(allProjections),
  ]);
  const store = new PostgresEventStore({ pool: database.pool, url: database.url });
  const batchSize = Number(process.env.TALLY_PROJECTOR_BATCH ?? 1000);
  const projector = new Projector({
    pool: database.pool,
    store,
    projections: allProjections,
    batchSize,
    onCommitted: (name, position, _changes, events) =>
      logger.debug(
        { projection: name, position: position.toString(), events: events.length },
        'batch committed',
      ),
    onError: (name, error) =>
      logger.warn({ projection: name, err: error }, 'projection batch failed; retrying'),
  });
  await projector.start();
  logger.info({ projections: allProjections.map((p) => p.name), batchSize }, 'projector running');
  onShutdownSignal(async (signal) => {
    logger.info({ signal }, 'stopping between batches');
    await projector.stop();
    await store.close();
    await database.close();
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
