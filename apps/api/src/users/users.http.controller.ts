import { randomUUID } from 'node:crypto';
import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { commandContext, sendReply } from '../http/command-request';
import { CommandAnswers } from '../http/route-docs';
import { RegisterUserCommand } from './register-user.command';
import { RegisterUserRequest } from './users.dto';
import { RegisterUserResponse } from './users.responses';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @CommandAnswers(201, RegisterUserResponse, 'username_taken')
  register(
    @Body() body: RegisterUserRequest,
    @Req() request: FastifyRequest,
    @Res() response: FastifyReply,
  ): Promise<void> {
    const input = { userId: randomUUID(), username: body.username };
    return sendReply(
      response,
      this.commandBus.execute(new RegisterUserCommand(input, commandContext(request))),
    );
  }
}
