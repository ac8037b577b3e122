import { Body, Controller, Headers, HttpCode, Param, Post, Put, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { CommandPipeline } from '@tally/commands';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { commandContext, sendReply } from '../http/command-request';
import { expectedRevisionFrom } from './if-match';
import { setReaction, toggleReaction } from './reactions.commands';
import { ReactionParams, SetReactionRequest } from './reactions.dto';

@ApiTags('reactions')
@ApiBearerAuth()
@Controller('posts/:postId/reactions/:type/:userId')
export class ReactionsController {
  constructor(private readonly pipeline: CommandPipeline) {}

  @Put()
  set(
    @Param() { postId, type, userId }: ReactionParams,
    @Body() body: SetReactionRequest,
    @Req() request: FastifyRequest,
    @Res() response: FastifyReply,
  ): Promise<void> {
    const spec = setReaction(
      { postId, type, userId, active: body.active },
      commandContext(request),
    );
    return sendReply(response, this.pipeline.execute(spec));
  }

  /** No body: a client may send `{}` or nothing, and either is ignored. */
  @Post('toggle')
  @HttpCode(200)
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'The revision last seen, e.g. "3"; a stale one is 412 revision_mismatch',
  })
  toggle(
    @Param() { postId, type, userId }: ReactionParams,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() request: FastifyRequest,
    @Res() response: FastifyReply,
  ): Promise<void> {
    const expected = expectedRevisionFrom(ifMatch);
    const spec = toggleReaction({ postId, type, userId }, commandContext(request), expected);
    return sendReply(response, this.pipeline.execute(spec));
  }
}
