import { Controller, Get, Header, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import type { EventStore } from '@tally/event-store';
import { DATABASE, EVENT_STORE, type Database } from '@tally/infra';
import { allProjections } from '@tally/read-models';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AUTH_TOKENS, Public, tokenRole, type TokenRole, type Tokens } from '../http/auth';
import { Answers } from '../http/route-docs';
import { BrokerProbe } from './broker-probe';
import { browseEvents, parseEventQuery, type EventPage } from './event-browser';
import { LagHistory, type LagHistoryView } from './lag-history';
import { OpsStatusResponse } from './operations.responses';
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
  @Public()
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

  /** Each projection's lag over the last hour, sampled by this process. */
  @Get('lag-history')
  @Answers(
    200,
    {
      mediaType: 'application/json',
      schema: {
        type: 'object',
        required: ['intervalMs', 'windowMs', 'projections'],
        properties: {
          intervalMs: { type: 'integer' },
          windowMs: { type: 'integer' },
          projections: { type: 'array', items: { type: 'object' } },
        },
      },
    },
    [],
    'lag samples of the last hour, per projection',
  )
  history(): LagHistoryView {
    return this.lagHistory.view();
  }

  /** What the presented token may do: the page shows admin actions to the admin token only. */
  @Get('access')
  @Answers(
    200,
    {
      mediaType: 'application/json',
      schema: {
        type: 'object',
        required: ['token', 'admin'],
        properties: {
          token: { type: 'string', enum: ['admin', 'api', 'invalid', 'none'] },
          admin: { type: 'boolean' },
        },
      },
    },
    [],
    'what the presented token may do',
  )
  access(@Req() request: FastifyRequest): { token: TokenRole; admin: boolean } {
    const token = tokenRole(request, this.tokens);
    return { token, admin: token === 'admin' };
  }

  /** The newest events, of one stream and/or one type, newest first; read-only. */
  @Get('events')
  @Answers(
    200,
    {
      mediaType: 'application/json',
      schema: {
        type: 'object',
        required: ['events', 'headPosition', 'scanned', 'next'],
        properties: {
          events: { type: 'array', items: { type: 'object' } },
          headPosition: { type: 'string' },
          scanned: { type: 'integer' },
          next: { type: 'string', nullable: true },
        },
      },
    },
    ['validation_failed'],
    'the newest events, newest first',
  )
  @ApiQuery({ name: 'stream', required: false })
  @ApiQuery({ name: 'type', required: false })
  @ApiQuery({ name: 'limit', required: false, description: '1–100, default 20' })
  @ApiQuery({ name: 'before', required: false, description: "the previous page's next" })
  events(@Query() query: Record<string, unknown>): Promise<EventPage> {
    return browseEvents(this.store, parseEventQuery(query));
  }
}
