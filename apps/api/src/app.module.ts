import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, Reflector } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import type { Logger, TallyConfig } from '@tally/infra';
import { allMigrations } from '../../shared/src/all-migrations';
import { DatabaseModule } from './database.module';
import { CommandsModule } from './commands.module';
import { ReadSideModule } from './read-side/read-side.module';
import { QueriesController } from './read-side/queries.http.controller';
import { PollsQueryController } from './polls/polls-query.http.controller';
import { HealthController } from './health/health.controller';
import { MetricsController } from './operations/metrics.http.controller';
import { OperationsModule } from './operations/operations.module';
import { OpsController } from './operations/ops.http.controller';
import { ProjectionsController } from './operations/projections.http.controller';
import { AuthGuard, type Tokens } from './http/auth';
import { ErrorFilter } from './http/error.filter';
import { inventoryCommandHandlers } from './inventory/inventory.handlers';
import { InventoryController } from './inventory/inventory.http.controller';
import { pollsCommandHandlers } from './polls/polls.handlers';
import { PollsController } from './polls/polls.http.controller';
import { reactionsCommandHandlers } from './reactions/reactions.handlers';
import { ReactionsController } from './reactions/reactions.http.controller';
import { threadsCommandHandlers } from './threads/threads.handlers';
import { ThreadsController } from './threads/threads.http.controller';
import { usersCommandHandlers } from './users/users.handlers';
import { UsersController } from './users/users.http.controller';

export const TOKENS = Symbol('Tokens');

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
      ],
      controllers: [
        HealthController,
        MetricsController,
        ProjectionsController,
        OpsController,
        InventoryController,
        ThreadsController,
        UsersController,
        PollsController,
        PollsQueryController,
        QueriesController,
        ReactionsController,
      ],
      providers: [
        ...inventoryCommandHandlers,
        ...threadsCommandHandlers,
        ...usersCommandHandlers,
        ...pollsCommandHandlers,
        ...reactionsCommandHandlers,
        {
          provide: APP_GUARD,
          inject: [Reflector],
          useFactory: (reflector: Reflector) => new AuthGuard(reflector, tokens),
        },
        { provide: APP_FILTER, useValue: new ErrorFilter(logger) },
      ],
    };
  }
}
