import { Controller, Get, HttpException, HttpStatus, Inject } from '@nestjs/common';
import { DATABASE, type Database } from '@tally/infra';
import { Public } from '../http/auth';

const PROBE_TIMEOUT_MS = 2000;

@Public()
@Controller('health')
export class HealthController {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(): Promise<{ status: 'ok'; checks: Record<string, 'up'> }> {
    const store = await this.probeStore();
    if (!store) {
      throw new HttpException(
        { error: 'unavailable', message: 'the event store does not answer', down: ['store'] },
        HttpStatus.SERVICE_UNAVAILABLE,
      );
    }
    return { status: 'ok', checks: { store: 'up' } };
  }

  private async probeStore(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS);
    });
    const probe = this.database.pool.query('SELECT 1').then(
      () => true,
      () => false,
    );
    try {
      return await Promise.race([probe, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
