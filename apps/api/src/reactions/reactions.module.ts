import { Module } from '@nestjs/common';
import { ReactionsQueriesController } from './reactions.queries.http.controller';
import { ReactionsController } from './reactions.http.controller';
import { SetReactionHandler } from './set-reaction.command';
import { ToggleReactionHandler } from './toggle-reaction.command';

/** Reactions per post, user and type: the commands, their handlers and their HTTP routes. */
@Module({
  controllers: [ReactionsController, ReactionsQueriesController],
  providers: [SetReactionHandler, ToggleReactionHandler],
})
export class ReactionsModule {}
