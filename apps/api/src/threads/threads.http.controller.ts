import { randomUUID } from 'node:crypto';
import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { commandContext, sendReply } from '../http/command-request';
import { CommandAnswers } from '../http/route-docs';
import { CreatePostCommand } from './create-post.command';
import { StartThreadCommand } from './start-thread.command';
import { CreatePostRequest, StartThreadRequest, ThreadParams } from './threads.dto';
import { CreatePostResponse, StartThreadResponse } from './threads.responses';

@ApiTags('threads')
@Controller('threads')
export class ThreadsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @CommandAnswers(201, StartThreadResponse, 'thread_exists')
  start(
    @Body() body: StartThreadRequest,
    @Req() request: FastifyRequest,
    @Res() response: FastifyReply,
  ): Promise<void> {
    const input = { threadId: body.threadId ?? randomUUID(), title: body.title };
    return sendReply(
      response,
      this.commandBus.execute(new StartThreadCommand(input, commandContext(request))),
    );
  }

  @Post(':threadId/posts')
  @CommandAnswers(201, CreatePostResponse, 'thread_not_found')
  post(
    @Param() { threadId }: ThreadParams,
    @Body() body: CreatePostRequest,
    @Req() request: FastifyRequest,
    @Res() response: FastifyReply,
  ): Promise<void> {
    const input = { postId: randomUUID(), threadId, authorId: body.authorId, body: body.body };
    return sendReply(
      response,
      this.commandBus.execute(new CreatePostCommand(input, commandContext(request))),
    );
  }
}
