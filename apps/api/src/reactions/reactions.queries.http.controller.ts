import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DATABASE, type Database } from '@tally/infra';
import { ApiMinPosition, awaitMinPosition } from '../http/min-position';
import { ProjectionPositions } from '../read-side/projection-positions';
import { PostParams } from './reactions-query.dto';
import {
  REACTIONS_PROJECTION,
  readPostReactions,
  type PostReactionsView,
} from './reactions.queries';

/** A post's reaction counts from the reaction-counts projection. */
@ApiTags('reads')
@Controller('posts')
export class ReactionsQueriesController {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    private readonly positions: ProjectionPositions,
  ) {}

  @Get(':postId/reactions')
  @ApiMinPosition()
  async reactions(
    @Param() { postId }: PostParams,
    @Query('minPosition') minPosition?: unknown,
  ): Promise<PostReactionsView> {
    await awaitMinPosition(this.positions, REACTIONS_PROJECTION, minPosition);
    return readPostReactions(this.database.pool, postId);
  }
}
