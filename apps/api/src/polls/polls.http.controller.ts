import { randomUUID } from 'node:crypto';
import { Body, Controller, Delete, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Admin } from '../http/auth';
import { commandContext, sendReply } from '../http/command-request';
import { CommandAnswers } from '../http/route-docs';
import { CastVoteCommand } from './cast-vote.command';
import { ClosePollCommand } from './close-poll.command';
import { OpenPollCommand } from './open-poll.command';
import { BallotParams, CastVoteRequest, CreatePollRequest, PollParams } from './polls.dto';
import {
  CastVoteResponse,
  ClosePollResponse,
  CreatePollResponse,
  RetractVoteResponse,
} from './polls.responses';
import { RetractVoteCommand } from './retract-vote.command';

@ApiTags('polls')
@Controller('polls')
export class PollsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @CommandAnswers(201, CreatePollResponse, 'poll_exists')
  create(
    @Body() body: CreatePollRequest,
    @Req() request: FastifyRequest,
    @Res() response: FastifyReply,
  ): Promise<void> {
    const input = { pollId: body.pollId ?? randomUUID(), title: body.title, options: body.options };
    return sendReply(
      response,
      this.commandBus.execute(new OpenPollCommand(input, commandContext(request))),
    );
  }

  @Post(':pollId/votes')
  @HttpCode(200)
  @CommandAnswers(200, CastVoteResponse, 'poll_not_found', 'option_not_found', 'poll_closed')
  vote(
    @Param() { pollId }: PollParams,
    @Body() body: CastVoteRequest,
    @Req() request: FastifyRequest,
    @Res() response: FastifyReply,
  ): Promise<void> {
    const input = { pollId, voterId: body.voterId, optionId: body.optionId };
    return sendReply(
      response,
      this.commandBus.execute(new CastVoteCommand(input, commandContext(request))),
    );
  }

  @Delete(':pollId/votes/:voterId')
  @CommandAnswers(200, RetractVoteResponse, 'poll_not_found', 'poll_closed')
  retract(
    @Param() { pollId, voterId }: BallotParams,
    @Req() request: FastifyRequest,
    @Res() response: FastifyReply,
  ): Promise<void> {
    return sendReply(
      response,
      this.commandBus.execute(new RetractVoteCommand({ pollId, voterId }, commandContext(request))),
    );
  }

  @Post(':pollId/close')
  @HttpCode(200)
  @Admin()
  @CommandAnswers(200, ClosePollResponse, 'poll_not_found')
  close(
    @Param() { pollId }: PollParams,
    @Req() request: FastifyRequest,
    @Res() response: FastifyReply,
  ): Promise<void> {
    return sendReply(
      response,
      this.commandBus.execute(new ClosePollCommand({ pollId }, commandContext(request))),
    );
  }
}
