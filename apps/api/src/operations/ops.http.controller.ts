import { Controller, Get, Header, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { EventStore } from '@tally/event-store';
import { DATABASE, EVENT_STORE, type Database } from '@tally/infra';
import { allProjections } from '@tally/read-models';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AUTH_TOKENS, Public, tokenRole, type TokenRole, type Tokens } from '../http/auth';
import { BrokerProbe } from './broker-probe';
import { browseEvents, parseEventQuery, type EventPage } from './event-browser';
import { LagHistory, type LagHistoryView } from './lag-history';
import { opsPage } from './ops-page';
import { readOpsStatus, type OpsStatus } from './ops-status';

@ApiTags('operations')
@Controller('ops')
export class OpsController {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(AUTH_TOKENS) private readonly tokens: Tokens,
    private readonly broker: BrokerProbe,
    private readonly lagHistory: LagHistory,
  ) {}

  /** The page holds no data (its script asks for it), so it loads without a token. */
  @ApiExcludeEndpoint()
  @Public()
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

  /** Each projection's lag over the last hour, sampled by this process. */
  @Get('lag-history')
  history(): LagHistoryView {
    return this.lagHistory.view();
  }

  /** What the presented token may do: the page shows admin actions to the admin token only. */
  @Get('access')
  access(@Req() request: FastifyRequest): { token: TokenRole; admin: boolean } {
    const token = tokenRole(request, this.tokens);
    return { token, admin: token === 'admin' };
  }

  /** The newest events, of one stream and/or one type, newest first; read-only. */
  @Get('events')
  @ApiQuery({ name: 'stream', required: false })
  @ApiQuery({ name: 'type', required: false })
  @ApiQuery({ name: 'limit', required: false, description: '1–100, default 20' })
  @ApiQuery({ name: 'before', required: false, description: "the previous page's next" })
  events(@Query() query: Record<string, unknown>): Promise<EventPage> {
    return browseEvents(this.store, parseEventQuery(query));
  }
}
