export { startEsdbTestServer } from './esdb-test-server';
export type { EsdbTestServer, EsdbTestServerOptions, RawEvent } from './esdb-test-server';
export type { EventLog, LogRecord } from './event-log';
export { DEFAULT_MAX_APPEND_SIZE } from './rpc-errors';
export { MODELLED_SERVER_VERSION } from './server-features';
