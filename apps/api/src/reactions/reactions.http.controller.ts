import { Body, Controller, Headers, HttpCode, Param, Post, Put, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { commandContext, sendReply } from '../http/command-request';
import { CommandAnswers } from '../http/route-docs';
import { expectedRevisionFrom } from './if-match';
import { ReactionParams, SetReactionRequest } from './reactions.dto';
import { SetReactionResponse, ToggleReactionResponse } from './reactions.responses';
import { SetReactionCommand } from './set-reaction.command';
import { ToggleReactionCommand } from './toggle-reaction.command';

const IF_MATCH = {
  name: 'If-Match',
  required: false,
  schema: { type: 'string', pattern: '^(?:"\\d+"|\\d+)$' },
  description:
    'The revision last seen, e.g. "3" (an ETag; bare 3 also works); a stale one is 412 revision_mismatch',
};

@ApiTags('reactions')
@Controller('posts/:postId/reactions/:type/:userId')
export class ReactionsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put()
  @CommandAnswers(200, SetReactionResponse, 'revision_mismatch')
  @ApiHeader(IF_MATCH)
  set(
    @Param() { postId, type, userId }: ReactionParams,
    @Body() body: SetReactionRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() request: FastifyRequest,
    @Res() response: FastifyReply,
  ): Promise<void> {
    const expected = expectedRevisionFrom(ifMatch);
    const input = { postId, type, userId, active: body.active };
    const command = new SetReactionCommand(input, commandContext(request), expected);
    return sendReply(response, this.commandBus.execute(command));
  }

  /** No body: a client may send `{}` or nothing, and either is ignored. */
  @Post('toggle')
  @HttpCode(200)
  @CommandAnswers(200, ToggleReactionResponse, 'revision_mismatch')
  @ApiHeader(IF_MATCH)
  toggle(
    @Param() { postId, type, userId }: ReactionParams,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() request: FastifyRequest,
    @Res() response: FastifyReply,
  ): Promise<void> {
    const expected = expectedRevisionFrom(ifMatch);
    const command = new ToggleReactionCommand(
      { postId, type, userId },
      commandContext(request),
      expected,
    );
    return sendReply(response, this.commandBus.execute(command));
  }
}
