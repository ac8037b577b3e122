import {
  Global,
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { PostgresEventStore, eventStoreMigrations, type EventStore } from '@tally/event-store';
import type { TallyConfig } from '../config';
import { openDatabase, type Database } from '../database/database';
import type { Migration } from '../database/migration';
import { migrate } from '../database/migrator';
import type { Logger } from '../logging/logger';
import { CONFIG, DATABASE, EVENT_STORE, LOGGER } from './tokens';

/** Opens the database (embedded or DATABASE_URL), migrates it, and serves the event store. */
@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  static forRoot(
    config: TallyConfig,
    logger: Logger,
    migrations: readonly Migration[] = [],
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
            const database = await openDatabase(config, (line) => pgLog.debug(line));
            const applied = await migrate(database.pool, [...eventStoreMigrations, ...migrations]);
            logger.info({ embedded: database.embedded, applied }, 'database ready');
            return database;
          },
        },
        {
          provide: EVENT_STORE,
          inject: [DATABASE],
          useFactory: (database: Database) =>
            new PostgresEventStore({ pool: database.pool, url: database.url }),
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
