import { Controller, Get, HttpException, HttpStatus, Inject } from '@nestjs/common';
import { DATABASE, type Database } from '@tally/infra';
import { withTimeout } from '@tally/ops';
import { Public } from '../http/auth';
import { BrokerProbe } from '../operations/broker-probe';

const PROBE_TIMEOUT_MS = 2000;

@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    private readonly broker: BrokerProbe,
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
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

  private probeStore(): Promise<boolean> {
    return withTimeout(this.database.pool.query('SELECT 1'), PROBE_TIMEOUT_MS, 'store').then(
      () => true,
      () => false,
    );
  }
}
