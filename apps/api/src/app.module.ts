import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import type { Logger, TallyConfig } from '@tally/infra';
import { allMigrations } from '../../shared/src/all-migrations';
import { DatabaseModule } from './database.module';
import { CommandsModule } from './commands.module';
import { ReadSideModule } from './read-side/read-side.module';
import { HealthController } from './health/health.controller';
import { MetricsController } from './operations/metrics.http.controller';
import { OperationsModule } from './operations/operations.module';
import { OpsController } from './operations/ops.http.controller';
import { ParkedEventsController } from './operations/parked-events.http.controller';
import { ProjectionsController } from './operations/projections.http.controller';
import { ErrorFilter } from './http/error.filter';
import { AUTH_TOKENS, type Tokens } from './http/auth';
import { InventoryModule } from './inventory/inventory.module';
import { PollsModule } from './polls/polls.module';
import { ReactionsModule } from './reactions/reactions.module';
import { ThreadsModule } from './threads/threads.module';
import { UsersModule } from './users/users.module';

@Module({})
export class AppModule {
  static forRoot(config: TallyConfig, logger: Logger, tokens: Tokens): DynamicModule {
    return {
      module: AppModule,
      imports: [
        DatabaseModule.forRoot(config, logger, allMigrations()),
        OperationsModule,
        CommandsModule,
        ReadSideModule,
        CqrsModule.forRoot(),
        PollsModule,
        ReactionsModule,
        ThreadsModule,
        InventoryModule,
        UsersModule,
      ],
      controllers: [
        HealthController,
        MetricsController,
        ProjectionsController,
        ParkedEventsController,
        OpsController,
      ],
      providers: [
        { provide: APP_FILTER, useValue: new ErrorFilter(logger) },
        { provide: AUTH_TOKENS, useValue: tokens },
      ],
    };
  }
}
