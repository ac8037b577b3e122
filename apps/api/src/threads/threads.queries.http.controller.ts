import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DATABASE, type Database } from '@tally/infra';
import { ApiError } from '../http/api-error';
import { awaitMinPosition } from '../http/min-position';
import { ReadAnswers } from '../http/route-docs';
import { ProjectionPositions } from '../read-side/projection-positions';
import { ThreadParams } from './threads.dto';
import { THREADS_PROJECTION, readThread, type ThreadView } from './threads.queries';
import { ThreadResponse } from './threads.responses';

/** A thread's title and activity from the thread-stats projection. */
@ApiTags('reads')
@Controller('threads')
export class ThreadsQueriesController {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    private readonly positions: ProjectionPositions,
  ) {}

  @Get(':threadId')
  @ReadAnswers(ThreadResponse, 'thread_not_found')
  async thread(
    @Param() { threadId }: ThreadParams,
    @Query('minPosition') minPosition?: unknown,
  ): Promise<ThreadView> {
    await awaitMinPosition(this.positions, THREADS_PROJECTION, minPosition);
    const view = await readThread(this.database.pool, threadId);
    if (!view) throw new ApiError('thread_not_found', `thread ${threadId} not found`, { threadId });
    return view;
  }
}
