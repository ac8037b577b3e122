import { randomUUID } from 'node:crypto';
import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandPipeline } from '@tally/commands';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { commandContext, sendReply } from '../http/command-request';
import { RegisterUserRequest } from './users.dto';
import { registerUser } from './users.commands';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly pipeline: CommandPipeline) {}

  @Post()
  register(
    @Body() body: RegisterUserRequest,
    @Req() request: FastifyRequest,
    @Res() response: FastifyReply,
  ): Promise<void> {
    const input = { userId: randomUUID(), username: body.username };
    return sendReply(response, this.pipeline.execute(registerUser(input, commandContext(request))));
  }
}
