import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DATABASE, type Database } from '@tally/infra';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../http/api-error';
import { ApiMinPosition, awaitMinPosition } from '../http/min-position';
import { ProjectionPositions } from '../read-side/projection-positions';
import { LivePollHub } from './live-poll-hub';
import { PollParams } from './polls.dto';
import { POLLS_PROJECTION, readPollView, type PollView } from './polls.queries';

/** A poll's counts from the poll-counts projection, once or live (Server-Sent Events). */
@ApiTags('polls')
@Controller('polls')
export class PollsQueriesController {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    private readonly positions: ProjectionPositions,
    private readonly hub: LivePollHub,
  ) {}

  @Get(':pollId')
  @ApiMinPosition()
  async get(
    @Param() { pollId }: PollParams,
    @Query('minPosition') minPosition?: unknown,
  ): Promise<PollView> {
    await awaitMinPosition(this.positions, POLLS_PROJECTION, minPosition);
    const view = await readPollView(this.database.pool, pollId);
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
    await awaitMinPosition(this.positions, POLLS_PROJECTION, minPosition);
    const view = await readPollView(this.database.pool, pollId);
    if (!view) throw new ApiError('poll_not_found', `poll ${pollId} not found`, { pollId });
    if (request.raw.destroyed) return; // gone while we read
    this.hub.follow(view, reply.raw);
  }
}
