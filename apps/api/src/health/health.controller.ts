import { Controller, Get, HttpException, HttpStatus, Inject } from '@nestjs/common';
import type { EventStore } from '@tally/event-store';
import { CONFIG, DATABASE, EVENT_STORE, type Database, type TallyConfig } from '@tally/infra';
import { withTimeout } from '@tally/ops';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../http/auth';
import { Answers } from '../http/route-docs';
import { LiveResponse, ReadyResponse } from '../operations/operations.responses';
import { BrokerProbe } from '../operations/broker-probe';

const PROBE_TIMEOUT_MS = 2000;

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CONFIG) private readonly config: TallyConfig,
    private readonly broker: BrokerProbe,
  ) {}

  @Get('live')
  @Answers(200, LiveResponse, [], 'the process runs')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @Answers(200, ReadyResponse, ['unavailable'], 'the store (and the broker, if configured) answer')
  async ready(): Promise<{ status: 'ok'; checks: Record<string, 'up'> }> {
    const [store, broker] = await Promise.all([this.probeStore(), this.broker.up()]);
    const checks: Record<string, 'up' | 'down'> = { store: store ? 'up' : 'down' };
    if (this.broker.configured) checks.broker = broker ? 'up' : 'down';
    const down = Object.keys(checks).filter((part) => checks[part] === 'down');
    if (down.length > 0) {
      throw new HttpException(
        {
          error: 'unavailable',
          message: `not ready: ${down.join(' and ')} ${down.length > 1 ? 'do' : 'does'} not answer`,
          down,
          checks,
        },
        HttpStatus.SERVICE_UNAVAILABLE,
      );
    }
    return { status: 'ok', checks: checks as Record<string, 'up'> };
  }

  /** PostgreSQL, and EventStoreDB when the log lives there (a read of the log's head). */
  private probeStore(): Promise<boolean> {
    const probes: Promise<unknown>[] = [this.database.pool.query('SELECT 1')];
    if (this.config.eventStoreUrl) probes.push(this.store.headPosition());
    return withTimeout(Promise.all(probes), PROBE_TIMEOUT_MS, 'store').then(
      () => true,
      () => false,
    );
  }
}
