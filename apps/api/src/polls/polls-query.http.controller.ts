import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { DATABASE, type Database } from '@tally/infra';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../http/api-error';
import { awaitMinPosition } from '../read-side/min-position';
import { ProjectionPositions } from '../read-side/projection-positions';
import { streamPoll } from './poll-live.stream';
import { readPoll, type PollView } from './poll.query';
import { PollParams } from './polls.dto';

@ApiTags('polls')
@Controller('polls')
export class PollsQueryController {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    private readonly positions: ProjectionPositions,
  ) {}

  @Get(':pollId')
  @ApiQuery({
    name: 'minPosition',
    required: false,
    description: 'wait (up to 5 s) until this position is counted',
  })
  async get(
    @Param() { pollId }: PollParams,
    @Query('minPosition') minPosition?: unknown,
  ): Promise<PollView> {
    await awaitMinPosition(this.positions, 'poll-counts', minPosition);
    const view = await readPoll(this.database.pool, pollId);
    if (!view) throw new ApiError('poll_not_found', `poll ${pollId} not found`, { pollId });
    return view;
  }

  @Get(':pollId/live')
  async live(
    @Param() { pollId }: PollParams,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('minPosition') minPosition?: unknown,
  ): Promise<void> {
    await awaitMinPosition(this.positions, 'poll-counts', minPosition);
    if (!(await readPoll(this.database.pool, pollId))) {
      throw new ApiError('poll_not_found', `poll ${pollId} not found`, { pollId });
    }
    streamPoll(this.database.pool, this.positions, pollId, request, reply);
  }
}
