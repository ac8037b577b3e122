import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { DATABASE, type Database } from '@tally/infra';
import { inventoryTables } from '@tally/read-models/inventory';
import { reactionCountsTables } from '@tally/read-models/reaction-counts';
import { threadStatsTables } from '@tally/read-models/thread-stats';
import { usersTables } from '@tally/read-models/users';
import { ApiError } from '../http/api-error';
import { SkuParams } from '../inventory/inventory.dto';
import { ThreadParams } from '../threads/threads.dto';
import { PostParams, UsernameParams } from './query.dto';
import { awaitMinPosition } from './min-position';
import { ProjectionPositions } from './projection-positions';
import { readAtCheckpoint } from './read-at-checkpoint';

const MIN_POSITION = {
  name: 'minPosition',
  required: false,
  description: 'wait (up to 5 s) until this position is counted',
};

/** Reads served from the projections' tables only, each with the checkpoint it reflects. */
@ApiTags('reads')
@Controller()
export class QueriesController {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    private readonly positions: ProjectionPositions,
  ) {}

  private async read<Row extends object>(
    projection: string,
    minPosition: unknown,
    sql: string,
    params: unknown[],
  ) {
    await awaitMinPosition(this.positions, projection, minPosition);
    return readAtCheckpoint<Row>(this.database.pool, projection, sql, params);
  }

  @Get('posts/:postId/reactions')
  @ApiQuery(MIN_POSITION)
  async reactions(@Param() { postId }: PostParams, @Query('minPosition') minPosition?: unknown) {
    const { rows, position } = await this.read<{ type: string; n: string }>(
      'reaction-counts',
      minPosition,
      `SELECT type, n FROM ${reactionCountsTables.counts} WHERE post_id = $2 AND n > 0 ORDER BY type`,
      [postId],
    );
    return { postId, counts: Object.fromEntries(rows.map((r) => [r.type, Number(r.n)])), position };
  }

  @Get('threads/:threadId')
  @ApiQuery(MIN_POSITION)
  async thread(@Param() { threadId }: ThreadParams, @Query('minPosition') minPosition?: unknown) {
    const { rows, position } = await this.read<{
      title: string;
      post_count: string;
      last_activity_at: Date | null;
    }>(
      'thread-stats',
      minPosition,
      `SELECT title, post_count, last_activity_at FROM ${threadStatsTables.threads} WHERE thread_id = $2 AND started`,
      [threadId],
    );
    const row = rows[0];
    if (!row) throw new ApiError('thread_not_found', `thread ${threadId} not found`, { threadId });
    return {
      threadId,
      title: row.title,
      postCount: Number(row.post_count),
      lastActivityAt: row.last_activity_at?.toISOString() ?? null,
      position,
    };
  }

  @Get('items/:sku')
  @ApiQuery(MIN_POSITION)
  async item(@Param() { sku }: SkuParams, @Query('minPosition') minPosition?: unknown) {
    const { rows, position } = await this.read<{ name: string; stock: string; sold: string }>(
      'inventory',
      minPosition,
      `SELECT name, stock, sold FROM ${inventoryTables.items} WHERE sku = $2 AND listed`,
      [sku],
    );
    const row = rows[0];
    if (!row) throw new ApiError('item_not_found', `item ${sku} not found`, { sku });
    return { sku, name: row.name, stock: Number(row.stock), sold: Number(row.sold), position };
  }

  @Get('users/:username')
  @ApiQuery(MIN_POSITION)
  async user(@Param() { username }: UsernameParams, @Query('minPosition') minPosition?: unknown) {
    const { rows, position } = await this.read<{ user_id: string; username: string }>(
      'users',
      minPosition,
      `SELECT user_id, username FROM ${usersTables.users} WHERE normalized = lower($2)`,
      [username],
    );
    const row = rows[0];
    if (!row) throw new ApiError('user_not_found', `user ${username} not found`, { username });
    return { userId: row.user_id, username: row.username, position };
  }
}
