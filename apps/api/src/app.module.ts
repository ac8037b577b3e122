import { Module, type DynamicModule } from '@nestjs/common';
import { DatabaseModule, type Logger, type TallyConfig } from '@tally/infra';
import { HealthController } from './health/health.controller';

@Module({})
export class AppModule {
  static forRoot(config: TallyConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [DatabaseModule.forRoot(config, logger)],
      controllers: [HealthController],
    };
  }
}
