import { Controller, Get, Header } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { TallyMetrics } from '@tally/ops';
import { Answers } from '../http/route-docs';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: TallyMetrics) {}

  @Get()
  @Answers(
    200,
    { mediaType: 'text/plain', schema: { type: 'string' } },
    [],
    'Prometheus text format',
  )
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  scrape(): Promise<string> {
    return this.metrics.render();
  }
}
