import { randomUUID } from 'node:crypto';
import { Body, Controller, Delete, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandPipeline } from '@tally/commands';
import type { PollState } from '@tally/domain';
import type { EventStore } from '@tally/event-store';
import { EVENT_STORE } from '@tally/infra';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Admin } from '../http/auth';
import { commandContext, sendReply } from '../http/command-request';
import { castVote, retractVote } from './ballots.commands';
import { readPoll } from './poll-reader';
import { closePoll, openPoll } from './polls.commands';
import { BallotParams, CastVoteRequest, CreatePollRequest, PollParams } from './polls.dto';

@ApiTags('polls')
@ApiBearerAuth()
@Controller('polls')
export class PollsController {
  constructor(
    private readonly pipeline: CommandPipeline,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  private poll(pollId: string): () => Promise<PollState> {
    return () => readPoll(this.store, pollId);
  }

  @Post()
  create(
    @Body() body: CreatePollRequest,
    @Req() request: FastifyRequest,
    @Res() response: FastifyReply,
  ): Promise<void> {
    const input = { pollId: body.pollId ?? randomUUID(), title: body.title, options: body.options };
    return sendReply(response, this.pipeline.execute(openPoll(input, commandContext(request))));
  }

  @Post(':pollId/votes')
  @HttpCode(200)
  vote(
    @Param() { pollId }: PollParams,
    @Body() body: CastVoteRequest,
    @Req() request: FastifyRequest,
    @Res() response: FastifyReply,
  ): Promise<void> {
    const input = { pollId, voterId: body.voterId, optionId: body.optionId };
    const spec = castVote(input, commandContext(request), this.poll(pollId));
    return sendReply(response, this.pipeline.execute(spec));
  }

  @Delete(':pollId/votes/:voterId')
  retract(
    @Param() { pollId, voterId }: BallotParams,
    @Req() request: FastifyRequest,
    @Res() response: FastifyReply,
  ): Promise<void> {
    const spec = retractVote({ pollId, voterId }, commandContext(request), this.poll(pollId));
    return sendReply(response, this.pipeline.execute(spec));
  }

  @Post(':pollId/close')
  @HttpCode(200)
  @Admin()
  close(
    @Param() { pollId }: PollParams,
    @Req() request: FastifyRequest,
    @Res() response: FastifyReply,
  ): Promise<void> {
    return sendReply(
      response,
      this.pipeline.execute(closePoll({ pollId }, commandContext(request))),
    );
  }
}
