import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DATABASE, type Database } from '@tally/infra';
import { ApiError } from '../http/api-error';
import { awaitMinPosition } from '../http/min-position';
import { ReadAnswers } from '../http/route-docs';
import { ProjectionPositions } from '../read-side/projection-positions';
import { UsernameParams } from './users-query.dto';
import { USERS_PROJECTION, readUser, type UserView } from './users.queries';
import { UserResponse } from './users.responses';

/** A user by username from the users projection. */
@ApiTags('reads')
@Controller('users')
export class UsersQueriesController {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    private readonly positions: ProjectionPositions,
  ) {}

  @Get(':username')
  @ReadAnswers(UserResponse, 'user_not_found')
  async user(
    @Param() { username }: UsernameParams,
    @Query('minPosition') minPosition?: unknown,
  ): Promise<UserView> {
    await awaitMinPosition(this.positions, USERS_PROJECTION, minPosition);
    const view = await readUser(this.database.pool, username);
    if (!view) throw new ApiError('user_not_found', `user ${username} not found`, { username });
    return view;
  }
}
