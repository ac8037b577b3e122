import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, Reflector } from '@nestjs/core';
import { idempotencyMigrations } from '@tally/commands';
import { DatabaseModule, type Logger, type TallyConfig } from '@tally/infra';
import { CommandsModule } from './commands.module';
import { HealthController } from './health/health.controller';
import { AuthGuard, type Tokens } from './http/auth';
import { ErrorFilter } from './http/error.filter';
import { InventoryController } from './inventory/inventory.http.controller';
import { PollsController } from './polls/polls.http.controller';
import { ReactionsController } from './reactions/reactions.http.controller';
import { ThreadsController } from './threads/threads.http.controller';
import { UsersController } from './users/users.http.controller';

export const TOKENS = Symbol('Tokens');

@Module({})
export class AppModule {
  static forRoot(config: TallyConfig, logger: Logger, tokens: Tokens): DynamicModule {
    return {
      module: AppModule,
      imports: [DatabaseModule.forRoot(config, logger, [...idempotencyMigrations]), CommandsModule],
      controllers: [
        HealthController,
        InventoryController,
        ThreadsController,
        UsersController,
        PollsController,
        ReactionsController,
      ],
      providers: [
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
