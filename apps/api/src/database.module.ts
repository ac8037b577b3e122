import {
  Global,
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { EventStore } from '@tally/event-store';
import {
  CONFIG,
  DATABASE,
  EVENT_STORE,
  LOGGER,
  migrate,
  openDatabase,
  type Database,
  type Logger,
  type Migration,
  type TallyConfig,
} from '@tally/infra';
import { openEventStore } from '../../shared/src/open-event-store';

/**
 * Opens the database (embedded or DATABASE_URL), applies `migrations`, and serves the event
 * store. It lives with the API, not in infra, because it wires the event store: infra stays
 * below every library.
 */
@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  static forRoot(
    config: TallyConfig,
    logger: Logger,
    migrations: readonly Migration[],
  ): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        {
          provide: DATABASE,
          useFactory: async (): Promise<Database> => {
            const pgLog = logger.child({ component: 'postgres' });
            const database = await openDatabase(config, (line) => pgLog.debug(line), {
              notice: (line) => pgLog.warn(line),
            });
            const applied = await migrate(database.pool, migrations);
            logger.info({ embedded: database.embedded, applied }, 'database ready');
            return database;
          },
        },
        {
          provide: EVENT_STORE,
          inject: [DATABASE],
          useFactory: (database: Database) => openEventStore(config, database),
        },
      ],
      exports: [CONFIG, LOGGER, DATABASE, EVENT_STORE],
    };
  }

  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    await this.database.close();
  }
}
