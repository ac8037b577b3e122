import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExtraModels, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { DATABASE, type Database } from '@tally/infra';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../http/api-error';
import { awaitMinPosition } from '../http/min-position';
import { ReadAnswers } from '../http/route-docs';
import { ProjectionPositions } from '../read-side/projection-positions';
import { LivePollHub } from './live-poll-hub';
import { PollParams } from './polls.dto';
import { POLLS_PROJECTION, readPollView, type PollView } from './polls.queries';
import { PollChange, PollResponse } from './polls.responses';

const LIVE_STREAM = {
  mediaType: 'text/event-stream',
  schema: {
    type: 'string',
    description: `Server-Sent Events: one \`data:\` line per counted change, each a PollChange (${getSchemaPath(PollChange)}); comment lines keep the connection alive`,
  },
};

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
  @ReadAnswers(PollResponse, 'poll_not_found')
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
  @ApiExtraModels(PollChange)
  @ReadAnswers(LIVE_STREAM, 'poll_not_found')
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
