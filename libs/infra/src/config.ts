/** Every environment variable Tally reads, in one place. */
export interface TallyConfig {
  databaseUrl: string | undefined;
  dataDir: string;
  embeddedPgPort: number;
  port: number;
  host: string;
  pgPoolSize: number;
  logLevel: string;
  adminToken: string | undefined;
  apiToken: string | undefined;
  kafkaBrokers: string[];
  /** The relay's topic (`TALLY_TOPIC`, default tally.events). */
  kafkaTopic: string;
  /** The Kafka-mode projectors' consumer group (`TALLY_PROJECTOR_GROUP`). */
  projectorGroup: string;
  /** Idempotency-Keys older than this are purged (`TALLY_IDEMPOTENCY_TTL_HOURS`, at least 24). */
  idempotencyTtlHours: number;
  /** Run the projector inside the API process (the default); `TALLY_PROJECTOR=off` leaves it to apps/projector. */
  inlineProjector: boolean;
}

function integer(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive integer, got '${raw}'`);
  return value;
}

function optional(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const raw = env[name];
  return raw === undefined || raw === '' ? undefined : raw;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): TallyConfig {
  return {
    databaseUrl: optional('DATABASE_URL', env),
    dataDir: optional('TALLY_DATA_DIR', env) ?? '.tally',
    embeddedPgPort: integer('TALLY_EMBEDDED_PG_PORT', 54329, env),
    port: integer('PORT', 3000, env),
    host: optional('HOST', env) ?? '0.0.0.0',
    pgPoolSize: integer('TALLY_PG_POOL_SIZE', 20, env),
    logLevel: optional('LOG_LEVEL', env) ?? 'info',
    adminToken: optional('TALLY_ADMIN_TOKEN', env),
    apiToken: optional('TALLY_API_TOKEN', env),
    idempotencyTtlHours: integer('TALLY_IDEMPOTENCY_TTL_HOURS', 48, env),
    inlineProjector: (optional('TALLY_PROJECTOR', env) ?? 'inline') !== 'off',
    kafkaTopic: optional('TALLY_TOPIC', env) ?? 'tally.events',
    projectorGroup: optional('TALLY_PROJECTOR_GROUP', env) ?? 'tally-projectors',
    kafkaBrokers: (optional('KAFKA_BROKERS', env) ?? '')
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean),
  };
}
