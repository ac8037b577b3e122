import {
  Global,
  Inject,
  Module,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { EventStore } from '@tally/event-store';
import {
  CONFIG,
  DATABASE,
  EVENT_STORE,
  LOGGER,
  type Database,
  type Logger,
  type TallyConfig,
} from '@tally/infra';
import { TallyMetrics, readProjectionStatus, readRelayLag } from '@tally/ops';
import { allProjections } from '@tally/read-models';
import { BrokerProbe } from './broker-probe';
import { LagHistory } from './lag-history';
import { Rebuilds } from './rebuilds';

/** Metrics, broker probe, rebuilds and lag history: what operators reach through /metrics, /health, /projections, /ops. */
@Global()
@Module({
  providers: [
    {
      provide: BrokerProbe,
      inject: [CONFIG],
      useFactory: (config: TallyConfig) =>
        new BrokerProbe(config.kafkaBrokers, config.kafkaTopic, [config.projectorGroup]),
    },
    {
      provide: TallyMetrics,
      inject: [DATABASE, EVENT_STORE, BrokerProbe],
      useFactory: (database: Database, store: EventStore, broker: BrokerProbe) =>
        new TallyMetrics(
          {
            projections: () => readProjectionStatus(database.pool, store, allProjections),
            relays: () => readRelayLag(database.pool, store),
            consumerGroups: () => broker.consumerGroupLag(database.pool),
          },
          database.pool,
        ),
    },
    {
      provide: Rebuilds,
      inject: [DATABASE, EVENT_STORE, CONFIG, LOGGER],
      useFactory: (database: Database, store: EventStore, config: TallyConfig, logger: Logger) =>
        new Rebuilds(database.pool, store, allProjections, config.kafkaBrokers.length > 0, logger),
    },
    {
      provide: LagHistory,
      inject: [DATABASE, EVENT_STORE, CONFIG, LOGGER],
      useFactory: (database: Database, store: EventStore, config: TallyConfig, logger: Logger) =>
        new LagHistory(
          () => readProjectionStatus(database.pool, store, allProjections),
          config.opsLagSampleMs,
          logger,
        ),
    },
  ],
  exports: [BrokerProbe, TallyMetrics, Rebuilds, LagHistory],
})
export class OperationsModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(Rebuilds) private readonly rebuilds: Rebuilds,
    @Inject(BrokerProbe) private readonly broker: BrokerProbe,
    @Inject(LagHistory) private readonly lagHistory: LagHistory,
  ) {}

  onApplicationBootstrap(): void {
    this.lagHistory.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.lagHistory.stop();
    await this.rebuilds.stop();
    await this.broker.close();
  }
}
