import { Global, Module } from '@nestjs/common';
import { CommandPipeline, IdempotencyRepository } from '@tally/commands';
import { PostgresEventStore } from '@tally/event-store';
import { DATABASE, EVENT_STORE, type Database } from '@tally/infra';

@Global()
@Module({
  providers: [
    {
      provide: CommandPipeline,
      inject: [DATABASE, EVENT_STORE],
      useFactory: (database: Database, store: PostgresEventStore) =>
        new CommandPipeline({
          pool: database.pool,
          store,
          idempotency: new IdempotencyRepository(database.pool),
        }),
    },
  ],
  exports: [CommandPipeline],
})
export class CommandsModule {}
