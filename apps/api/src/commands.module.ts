import {
  Global,
  Inject,
  Module,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { CommandPipeline, IdempotencyJanitor, IdempotencyRepository } from '@tally/commands';
import { PostgresEventStore } from '@tally/event-store';
import {
  CONFIG,
  DATABASE,
  EVENT_STORE,
  LOGGER,
  type Database,
  type Logger,
  type TallyConfig,
} from '@tally/infra';
import { TallyMetrics } from '@tally/ops';

@Global()
@Module({
  providers: [
    {
      provide: CommandPipeline,
      inject: [DATABASE, EVENT_STORE, TallyMetrics],
      useFactory: (database: Database, store: PostgresEventStore, metrics: TallyMetrics) =>
        new CommandPipeline({
          pool: database.pool,
          store,
          idempotency: new IdempotencyRepository(database.pool),
          observer: metrics,
        }),
    },
    {
      provide: IdempotencyJanitor,
      inject: [DATABASE, CONFIG, LOGGER],
      useFactory: (database: Database, config: TallyConfig, logger: Logger) =>
        new IdempotencyJanitor({
          pool: database.pool,
          ttlHours: config.idempotencyTtlHours,
          onSwept: (deleted) => logger.info({ deleted }, 'expired idempotency keys purged'),
          onError: (error) => logger.warn({ err: error }, 'idempotency key purge failed'),
        }),
    },
  ],
  exports: [CommandPipeline],
})
export class CommandsModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(IdempotencyJanitor) private readonly janitor: IdempotencyJanitor) {}

  onApplicationBootstrap(): void {
    this.janitor.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.janitor.stop();
  }
}
