import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { EventStore } from '@tally/event-store';
import { DATABASE, EVENT_STORE, type Database } from '@tally/infra';
import { allProjections } from '@tally/read-models';
import type { FastifyReply } from 'fastify';
import { Answers } from '../http/route-docs';
import { BrokerProbe } from './broker-probe';
import { OpsStatusResponse } from './operations.responses';
import { opsPage } from './ops-page';
import { readOpsStatus, type OpsStatus } from './ops-status';

@ApiTags('operations')
@Controller('ops')
export class OpsController {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly broker: BrokerProbe,
  ) {}

  @Get()
  @Answers(200, { mediaType: 'text/html', schema: { type: 'string' } }, [], 'the ops page')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  page(@Res({ passthrough: true }) reply: FastifyReply): string {
    const { html, contentSecurityPolicy } = opsPage();
    void reply.header('Content-Security-Policy', contentSecurityPolicy);
    return html;
  }

  /** The ops page's feed: projections, relay, consumer group, rebuilds. */
  @Get('status')
  @Answers(200, OpsStatusResponse, ['unavailable'])
  status(): Promise<OpsStatus> {
    return readOpsStatus(this.database.pool, this.store, this.broker, allProjections);
  }
}
