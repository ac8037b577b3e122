import { Module } from '@nestjs/common';
import { UsersQueriesController } from './users.queries.http.controller';
import { RegisterUserHandler } from './register-user.command';
import { UsersController } from './users.http.controller';

/** Users with unique usernames: the command, its handler and its HTTP route. */
@Module({
  controllers: [UsersController, UsersQueriesController],
  providers: [RegisterUserHandler],
})
export class UsersModule {}
