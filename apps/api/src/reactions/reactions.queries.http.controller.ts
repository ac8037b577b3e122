import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DATABASE, type Database } from '@tally/infra';
import { awaitMinPosition } from '../http/min-position';
import { ReadAnswers } from '../http/route-docs';
import { ProjectionPositions } from '../read-side/projection-positions';
import { PostParams } from './reactions-query.dto';
import {
  REACTIONS_PROJECTION,
  readPostReactions,
  type PostReactionsView,
} from './reactions.queries';
import { PostReactionsResponse } from './reactions.responses';

/** A post's reaction counts from the reaction-counts projection. */
@ApiTags('reads')
@Controller('posts')
export class ReactionsQueriesController {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    private readonly positions: ProjectionPositions,
  ) {}

  @Get(':postId/reactions')
  @ReadAnswers(PostReactionsResponse)
  async reactions(
    @Param() { postId }: PostParams,
    @Query('minPosition') minPosition?: unknown,
  ): Promise<PostReactionsView> {
    await awaitMinPosition(this.positions, REACTIONS_PROJECTION, minPosition);
    return readPostReactions(this.database.pool, postId);
  }
}
