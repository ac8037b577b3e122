import {
  Global,
  Inject,
  Module,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import type { EventStore } from '@tally/event-store';
import {
  CONFIG,
  DATABASE,
  EVENT_STORE,
  LOGGER,
  OutageLog,
  type Database,
  type Logger,
  type TallyConfig,
} from '@tally/infra';
import { TallyMetrics } from '@tally/ops';
import { Projector } from '@tally/projections';
import { allProjections } from '@tally/read-models';
import { ProjectionPositions } from './projection-positions';

/** Positions for read-your-writes, and the projector itself when it runs inside the API. */
@Global()
@Module({
  providers: [
    {
      provide: ProjectionPositions,
      inject: [DATABASE],
      useFactory: (database: Database) => new ProjectionPositions(database.pool),
    },
  ],
  exports: [ProjectionPositions],
})
export class ReadSideModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private projector: Projector | undefined;

  constructor(
    private readonly positions: ProjectionPositions,
    @Inject(CONFIG) private readonly config: TallyConfig,
    @Inject(DATABASE) private readonly database: Database,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(TallyMetrics) private readonly metrics: TallyMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.positions.start();
    if (!this.config.inlineProjector) return;
    const log = this.logger.child({ component: 'projector' });
    const outage = new OutageLog(log, 'projector');
    this.metrics.folding(allProjections.map((p) => p.name));
    this.projector = new Projector({
      pool: this.database.pool,
      store: this.store,
      projections: allProjections,
      onCommitted: (name, position, changes, events, from) => {
        outage.recovered();
        this.metrics.folded(name, events.length);
        this.positions.committed(name, from, position, changes);
      },
      onError: (name, error) => {
        if (outage.failed(error, { projection: name })) return;
        log.warn({ projection: name, err: error }, 'projection batch failed; retrying');
      },
    });
    await this.projector.start();
    log.info({ projections: allProjections.map((p) => p.name) }, 'projector running in-process');
  }

  // Before the database module closes the pool: the batch in flight commits first.
  async beforeApplicationShutdown(): Promise<void> {
    this.positions.stop();
    await this.projector?.stop();
  }
}
