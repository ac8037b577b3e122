import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import { DATABASE, type Database } from '@tally/infra';
import { allProjections } from '@tally/read-models';
import { BrokerProbe } from './broker-probe';
import { OPS_PAGE } from './ops-page';
import { readOpsStatus, type OpsStatus } from './ops-status';

@ApiTags('operations')
@Controller('ops')
export class OpsController {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    private readonly broker: BrokerProbe,
  ) {}

  @ApiExcludeEndpoint()
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @Header(
    'Content-Security-Policy',
    "default-src 'self'; img-src 'self' data:; script-src 'unsafe-inline'; style-src 'unsafe-inline'",
  )
  page(): string {
    return OPS_PAGE;
  }

  /** The ops page's feed: projections, relay, consumer group, rebuilds. */
  @Get('status')
  status(): Promise<OpsStatus> {
    return readOpsStatus(
      this.database.pool,
      this.broker,
      allProjections.map((p) => p.name),
    );
  }
}
