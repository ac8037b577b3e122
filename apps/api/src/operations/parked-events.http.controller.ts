import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import type { EventStore } from '@tally/event-store';
import { DATABASE, EVENT_STORE, type Database } from '@tally/infra';
import {
  discardParked,
  listParked,
  retryParked,
  type ParkedEvent,
  type Projection,
  type RetryResult,
} from '@tally/projections';
import { allProjections } from '@tally/read-models';
import { ApiError, validationFailed } from '../http/api-error';
import { Admin } from '../http/auth';
import { Answers, BODY_REFUSALS } from '../http/route-docs';
import {
  DiscardParkedResponse,
  ParkedListResponse,
  RetryParkedResponse,
} from './operations.responses';

const POSITION = /^\d{1,19}$/;
const REFUSALS = [...BODY_REFUSALS, 'projection_not_found', 'unavailable'] as const;

/** The optional body of retry and discard; positionOf checks it. */
const Selection = (): MethodDecorator =>
  ApiBody({
    required: false,
    description: 'none: every parked event of the projection; `{position}`: that one',
    schema: {
      type: 'object',
      additionalProperties: true,
      properties: {
        position: {
          oneOf: [
            { type: 'string', pattern: POSITION.source },
            { type: 'integer', minimum: 0 },
          ],
        },
      },
    },
  });

/** `{position}` (a number or a decimal string) picks one parked event; no body takes them all. */
function positionOf(body: unknown): bigint | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body !== 'object' || Array.isArray(body))
    throw validationFailed([{ field: 'body', reason: 'must be an object' }]);
  const { position } = body as { position?: unknown };
  if (position === undefined) return undefined;
  const text =
    typeof position === 'number' && Number.isSafeInteger(position) ? String(position) : position;
  if (typeof text !== 'string' || !POSITION.test(text) || BigInt(text) > 9223372036854775807n)
    throw validationFailed([{ field: 'position', reason: 'must be a non-negative integer' }]);
  return BigInt(text);
}

/**
 * Events a projection parked instead of folding (malformed, or its fold threw): listed,
 * folded again, or discarded by an operator. Admin routes.
 */
@ApiTags('operations')
@Admin()
@Controller('projections/:name/parked')
export class ParkedEventsController {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get()
  @Answers(200, ParkedListResponse, ['projection_not_found', 'unavailable'])
  async list(@Param('name') name: string): Promise<{ name: string; parked: ParkedEvent[] }> {
    this.projection(name);
    return { name, parked: await listParked(this.database.pool, name) };
  }

  @Post('retry')
  @HttpCode(200)
  @Selection()
  @Answers(200, RetryParkedResponse, REFUSALS)
  async retry(
    @Param('name') name: string,
    @Body() body: unknown,
  ): Promise<{ name: string } & RetryResult> {
    const result = await retryParked({
      pool: this.database.pool,
      store: this.store,
      projection: this.projection(name),
      position: positionOf(body),
    });
    return { name, ...result };
  }

  @Post('discard')
  @HttpCode(200)
  @Selection()
  @Answers(200, DiscardParkedResponse, REFUSALS)
  async discard(
    @Param('name') name: string,
    @Body() body: unknown,
  ): Promise<{ name: string; discarded: string[] }> {
    this.projection(name);
    const discarded = await discardParked(this.database.pool, {
      projection: name,
      position: positionOf(body),
    });
    return { name, discarded };
  }

  private projection(name: string): Projection {
    const projection = allProjections.find((p) => p.name === name);
    if (!projection) {
      throw new ApiError('projection_not_found', `no projection named '${name}'`, {
        projections: allProjections.map((p) => p.name),
      });
    }
    return projection;
  }
}
