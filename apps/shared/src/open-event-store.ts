import {
  EsdbEventStore,
  PostgresEventStore,
  type PostgresTransaction,
  type TransactionalEventStore,
} from '@tally/event-store';
import type { Database, TallyConfig } from '@tally/infra';

/**
 * The event store every process uses: EventStoreDB when `EVENTSTORE_URL` is set, else the
 * PostgreSQL log. PostgreSQL (`database`) holds the read tables, checkpoints and
 * Idempotency-Keys either way; the EventStoreDB store's transactions are its transactions
 * (their connection is what the idempotency store writes on).
 */
export function openEventStore(
  config: Pick<TallyConfig, 'eventStoreUrl'>,
  database: Pick<Database, 'pool' | 'url'>,
): TransactionalEventStore<PostgresTransaction> {
  if (config.eventStoreUrl) {
    return new EsdbEventStore({ url: config.eventStoreUrl, pool: database.pool });
  }
  return new PostgresEventStore({ pool: database.pool, url: database.url });
}
