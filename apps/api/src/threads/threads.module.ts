import { Module } from '@nestjs/common';
import { ThreadsQueriesController } from './threads.queries.http.controller';
import { CreatePostHandler } from './create-post.command';
import { StartThreadHandler } from './start-thread.command';
import { ThreadsController } from './threads.http.controller';

/** Forum threads and their posts: the commands, their handlers and their HTTP routes. */
@Module({
  controllers: [ThreadsController, ThreadsQueriesController],
  providers: [StartThreadHandler, CreatePostHandler],
})
export class ThreadsModule {}
