export * from './errors';
export * from './event-store.port';
export * from './limits';
export {
  PostgresEventStore,
  type PostgresEventStoreOptions,
} from './postgres/postgres-event-store';
export type { PostgresTransaction } from './postgres/postgres-transaction';
export { eventStoreMigrations } from './postgres/event-store.migrations';
export { textProblem } from './json-guard';
export {
  EsdbEventStore,
  type EsdbEventStoreOptions,
  type EsdbTransaction,
} from './esdb/esdb-event-store';
export { idempotentEventId } from './esdb/event-ids';
