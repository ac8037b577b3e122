import { Global, Module } from '@nestjs/common';
import { CommandPipeline, IdempotencyRepository } from '@tally/commands';
import { PostgresEventStore } from '@tally/event-store';
import { DATABASE, EVENT_STORE, type Database } from '@tally/infra';
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
  ],
  exports: [CommandPipeline],
})
export class CommandsModule {}
