import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Every environment variable Tally reads, in one place. */
export interface TallyConfig {
  databaseUrl: string | undefined;
  dataDir: string;
  embeddedPgPort: number;
  port: number;
  host: string;
  /**
   * Where the projector and relay processes serve `GET /metrics` (`TALLY_METRICS_PORT`, on
   * HOST); unset, they serve none. The API serves it on its own port.
   */
  metricsPort: number | undefined;
  pgPoolSize: number;
  /**
   * Longest wait for a database connection, a new one or a free one of the pool
   * (`TALLY_PG_CONNECT_TIMEOUT_MS`, default 5000): past it a request answers 503.
   */
  pgConnectTimeoutMs: number;
  /** Server-side statement_timeout of pooled connections (`TALLY_PG_STATEMENT_TIMEOUT_MS`, 0 = none, the default). */
  pgStatementTimeoutMs: number;
  logLevel: string;
  /**
   * One `info` line per request, whatever its status (`TALLY_ACCESS_LOG=on`; off by default:
   * failures are logged where they are handled, and a line per 2xx costs the hot path).
   */
  accessLog: boolean;
  /**
   * Live poll streams get their messages written at most this often (`TALLY_SSE_FLUSH_MS`,
   * default 50; 0 = each projector batch at once). Every change is still its own message:
   * this only puts the messages of a few batches in one write, which with thousands of
   * streams is most of the fan-out's cost.
   */
  sseFlushMs: number;
  /**
   * A live stream with more unsent data than this is a client that does not read, and is cut
   * off (`TALLY_SSE_MAX_BUFFER_KB`, default 256) rather than buffered for without end.
   */
  sseMaxBufferKiB: number;
  /**
   * How long a request may take to arrive, headers and body (`TALLY_HTTP_REQUEST_TIMEOUT_MS`,
   * default 30000, 0 = no limit): a client that stalls mid-body gets 408, not a held socket.
   */
  httpRequestTimeoutMs: number;
  adminToken: string | undefined;
  apiToken: string | undefined;
  /** How often the API samples each projection's lag for the ops page's last hour (`TALLY_OPS_LAG_SAMPLE_MS`, default 5000). */
  opsLagSampleMs: number;
  kafkaBrokers: string[];
  /** The relay's topic, which the Kafka-mode projectors read (`TALLY_TOPIC`, default tally.events). */
  kafkaTopic: string;
  /** Partitions the relay creates its topic with (`TALLY_TOPIC_PARTITIONS`, default 6). */
  kafkaTopicPartitions: number;
  /** The Kafka-mode projectors' consumer group (`TALLY_PROJECTOR_GROUP`, default tally-projectors). */
  projectorGroup: string;
  /**
   * How long the group waits for a silent member before moving its partitions to the others
   * (`TALLY_KAFKA_SESSION_TIMEOUT_MS`, default 30000 as in kafkajs; 6000 to 1800000, the
   * broker's default bounds). Heartbeats go every tenth of it.
   */
  kafkaSessionTimeoutMs: number;
  /** Events the projector process folds per transaction (`TALLY_PROJECTOR_BATCH`, default 1000). */
  projectorBatchSize: number;
  /** Idempotency-Keys older than this are purged (`TALLY_IDEMPOTENCY_TTL_HOURS`, at least 24). */
  idempotencyTtlHours: number;
  /** Run the projector inside the API process (the default); `TALLY_PROJECTOR=off` leaves it to apps/projector. */
  inlineProjector: boolean;
  /**
   * EventStoreDB connection string (`EVENTSTORE_URL`, e.g. `esdb://127.0.0.1:2113?tls=false`):
   * the event log lives there; unset, in PostgreSQL. PostgreSQL holds the rest either way.
   */
  eventStoreUrl: string | undefined;
  /**
   * The relay and the projector rewrite this file every few seconds while they work
   * (`TALLY_HEARTBEAT_FILE`, unset: none); a container's health check reads its age.
   */
  heartbeatFile: string | undefined;
}

function integer(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive integer, got '${raw}'`);
  return value;
}

function between(
  name: string,
  fallback: number,
  [min, max]: [number, number],
  env: NodeJS.ProcessEnv,
): number {
  const value = integer(name, fallback, env);
  if (value < min || value > max)
    throw new Error(`${name} must be from ${min} to ${max}, got '${env[name]}'`);
  return value;
}

function nonNegative(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0)
    throw new Error(`${name} must be a non-negative integer, got '${raw}'`);
  return value;
}

function optionalPort(name: string, env: NodeJS.ProcessEnv): number | undefined {
  return optional(name, env) === undefined ? undefined : between(name, 1, [1, 65535], env);
}

function optional(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const raw = env[name];
  return raw === undefined || raw === '' ? undefined : raw;
}

// What Kafka accepts as a topic name: anything else would fail later, at the broker.
const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;

function topic(name: string, fallback: string, env: NodeJS.ProcessEnv): string {
  const raw = optional(name, env);
  if (raw === undefined) return fallback;
  if (!TOPIC_NAME.test(raw) || raw === '.' || raw === '..')
    throw new Error(`${name} must be a Kafka topic name (A-Z a-z 0-9 . _ -), got '${raw}'`);
  return raw;
}

function eventStoreUrl(env: NodeJS.ProcessEnv): string | undefined {
  const raw = optional('EVENTSTORE_URL', env);
  if (raw !== undefined && !/^esdb(\+discover)?:\/\/./.test(raw))
    throw new Error(`EVENTSTORE_URL must be an esdb:// connection string, got '${raw}'`);
  return raw;
}

function switchedOn(name: string, env: NodeJS.ProcessEnv): boolean {
  const raw = (optional(name, env) ?? 'off').toLowerCase();
  if (['on', 'true', '1'].includes(raw)) return true;
  if (['off', 'false', '0'].includes(raw)) return false;
  throw new Error(`${name} must be on or off, got '${raw}'`);
}

/**
 * The folder of Tally's package.json, found upwards from this file (libs/… in the sources,
 * dist/libs/… when built), or undefined when Tally runs from elsewhere (a bundle).
 */
export function packageRoot(from: string = __dirname): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown };
      if (name === 'tally') return dir;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * TALLY_DATA_DIR (relative to the working directory), else `.tally` in Tally's own folder: the
 * API, the other processes and the CLI find the same embedded cluster (and admin token)
 * whatever directory they were started from.
 */
function dataDir(env: NodeJS.ProcessEnv): string {
  const raw = optional('TALLY_DATA_DIR', env);
  return resolve(raw ?? join(packageRoot() ?? '.', '.tally'));
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): TallyConfig {
  return {
    databaseUrl: optional('DATABASE_URL', env),
    dataDir: dataDir(env),
    embeddedPgPort: integer('TALLY_EMBEDDED_PG_PORT', 54329, env),
    port: integer('PORT', 3000, env),
    host: optional('HOST', env) ?? '0.0.0.0',
    metricsPort: optionalPort('TALLY_METRICS_PORT', env),
    pgPoolSize: integer('TALLY_PG_POOL_SIZE', 20, env),
    pgConnectTimeoutMs: integer('TALLY_PG_CONNECT_TIMEOUT_MS', 5000, env),
    pgStatementTimeoutMs: nonNegative('TALLY_PG_STATEMENT_TIMEOUT_MS', 0, env),
    logLevel: optional('LOG_LEVEL', env) ?? 'info',
    accessLog: switchedOn('TALLY_ACCESS_LOG', env),
    sseFlushMs: nonNegative('TALLY_SSE_FLUSH_MS', 50, env),
    sseMaxBufferKiB: integer('TALLY_SSE_MAX_BUFFER_KB', 256, env),
    httpRequestTimeoutMs: nonNegative('TALLY_HTTP_REQUEST_TIMEOUT_MS', 30_000, env),
    adminToken: optional('TALLY_ADMIN_TOKEN', env),
    apiToken: optional('TALLY_API_TOKEN', env),
    opsLagSampleMs: integer('TALLY_OPS_LAG_SAMPLE_MS', 5000, env),
    idempotencyTtlHours: integer('TALLY_IDEMPOTENCY_TTL_HOURS', 48, env),
    inlineProjector: (optional('TALLY_PROJECTOR', env) ?? 'inline') !== 'off',
    // The relay library's EVENTS_TOPIC; infra imports no Tally library, so it is spelled out.
    kafkaTopic: topic('TALLY_TOPIC', 'tally.events', env),
    kafkaTopicPartitions: integer('TALLY_TOPIC_PARTITIONS', 6, env),
    projectorGroup: optional('TALLY_PROJECTOR_GROUP', env) ?? 'tally-projectors',
    kafkaSessionTimeoutMs: between(
      'TALLY_KAFKA_SESSION_TIMEOUT_MS',
      30_000,
      [6_000, 1_800_000],
      env,
    ),
    projectorBatchSize: integer('TALLY_PROJECTOR_BATCH', 1000, env),
    eventStoreUrl: eventStoreUrl(env),
    heartbeatFile: optional('TALLY_HEARTBEAT_FILE', env),
    kafkaBrokers: (optional('KAFKA_BROKERS', env) ?? '')
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean),
  };
}
