import { Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { EventStore } from '@tally/event-store';
import { DATABASE, EVENT_STORE, type Database } from '@tally/infra';
import { readProjectionStatus, type ProjectionStatus } from '@tally/ops';
import { allProjections } from '@tally/read-models';
import { Admin } from '../http/auth';
import { Answers, BODY_REFUSALS } from '../http/route-docs';
import { ProjectionStatusBody, RebuildStartedResponse } from './operations.responses';
import { Rebuilds } from './rebuilds';

@ApiTags('operations')
@Controller('projections')
export class ProjectionsController {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly rebuilds: Rebuilds,
  ) {}

  @Get()
  @Answers(200, [ProjectionStatusBody], ['unavailable'])
  list(): Promise<ProjectionStatus[]> {
    return readProjectionStatus(this.database.pool, this.store, allProjections);
  }

  @Admin()
  @Post(':name/rebuild')
  @HttpCode(202)
  @Answers(
    202,
    RebuildStartedResponse,
    [...BODY_REFUSALS, 'projection_not_found', 'rebuild_in_progress', 'unavailable'],
    'the rebuild started; follow it in GET /projections',
  )
  rebuild(@Param('name') name: string): Promise<{ name: string; rebuildId: string }> {
    return this.rebuilds.start(name);
  }
}
