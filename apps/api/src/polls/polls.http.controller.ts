import { randomUUID } from 'node:crypto';
import { Body, Controller, Delete, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Admin } from '../http/auth';
import { commandContext, sendReply } from '../http/command-request';
import { CastVoteCommand } from './cast-vote.command';
import { ClosePollCommand } from './close-poll.command';
import { OpenPollCommand } from './open-poll.command';
import { BallotParams, CastVoteRequest, CreatePollRequest, PollParams } from './polls.dto';
import { RetractVoteCommand } from './retract-vote.command';

@ApiTags('polls')
@ApiBearerAuth()
@Controller('polls')
export class PollsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
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
