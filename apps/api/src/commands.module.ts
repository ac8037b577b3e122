import { domainEventProblem } from '@tally/domain';
import {
  Global,
  Inject,
  Module,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { CommandPipeline, IdempotencyJanitor, PostgresIdempotencyStore } from '@tally/commands';
import type { PostgresTransaction, TransactionalEventStore } from '@tally/event-store';
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
      // The idempotency keys live in the store's database and join its transactions.
      useFactory: (
        database: Database,
        store: TransactionalEventStore<PostgresTransaction>,
        metrics: TallyMetrics,
      ) =>
        new CommandPipeline({
          store,
          idempotency: new PostgresIdempotencyStore(database.pool),
          observer: metrics,
          checkEvent: domainEventProblem,
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
