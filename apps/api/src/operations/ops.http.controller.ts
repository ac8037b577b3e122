import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { EventStore } from '@tally/event-store';
import { DATABASE, EVENT_STORE, type Database } from '@tally/infra';
import { allProjections } from '@tally/read-models';
import type { FastifyReply } from 'fastify';
import { BrokerProbe } from './broker-probe';
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

  @ApiExcludeEndpoint()
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  page(@Res({ passthrough: true }) reply: FastifyReply): string {
    const { html, contentSecurityPolicy } = opsPage();
    void reply.header('Content-Security-Policy', contentSecurityPolicy);
    return html;
  }

  /** The ops page's feed: projections, relay, consumer group, rebuilds. */
  @Get('status')
  status(): Promise<OpsStatus> {
    return readOpsStatus(
      this.database.pool,
      this.store,
      this.broker,
      allProjections.map((p) => p.name),
    );
  }
}
