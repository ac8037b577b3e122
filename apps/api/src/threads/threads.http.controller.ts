import { randomUUID } from 'node:crypto';
import { Body, Controller, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandPipeline } from '@tally/commands';
import type { EventStore } from '@tally/event-store';
import { EVENT_STORE } from '@tally/infra';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { commandContext, sendReply } from '../http/command-request';
import { CreatePostRequest, StartThreadRequest, ThreadParams } from './threads.dto';
import { createPost, loadThreadState, startThread } from './threads.commands';

@ApiTags('threads')
@ApiBearerAuth()
@Controller('threads')
export class ThreadsController {
  constructor(
    private readonly pipeline: CommandPipeline,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Post()
  start(
    @Body() body: StartThreadRequest,
    @Req() request: FastifyRequest,
    @Res() response: FastifyReply,
  ): Promise<void> {
    const input = { threadId: body.threadId ?? randomUUID(), title: body.title };
    return sendReply(response, this.pipeline.execute(startThread(input, commandContext(request))));
  }

  @Post(':threadId/posts')
  post(
    @Param() { threadId }: ThreadParams,
    @Body() body: CreatePostRequest,
    @Req() request: FastifyRequest,
    @Res() response: FastifyReply,
  ): Promise<void> {
    const input = { postId: randomUUID(), threadId, authorId: body.authorId, body: body.body };
    const spec = createPost(input, commandContext(request), () =>
      loadThreadState(this.store, threadId),
    );
    return sendReply(response, this.pipeline.execute(spec));
  }
}
