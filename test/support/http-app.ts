import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PostgresEventStore } from '../../libs/event-store/src';
import { createLogger, loadConfig, type Logger } from '../../libs/infra/src';
import { createApp } from '../../apps/api/src/create-app';
import { allMigrations } from '../../apps/shared/src/all-migrations';
import { ADMIN_TOKEN } from './admin-token';
import { createTestDatabase, type TestDatabase } from './test-database';

export { ADMIN_TOKEN };

/** A route as Fastify registered it: what the server really serves and validates. */
export interface ServedRoute {
  method: string;
  url: string;
  schema?: { body?: unknown; params?: unknown };
}

export interface HttpApp {
  baseUrl: string;
  /** Every route Fastify registered once the app started listening. */
  routes: ServedRoute[];
  db: TestDatabase;
  /** A store on the same database, to assert against the events themselves. */
  store: PostgresEventStore;
  /** The Nest application itself, to reach its providers (the CommandBus) directly. */
  nest: NestFastifyApplication;
  close(): Promise<void>;
}

/** The real API (Fastify, guards, pipes, pipeline) on a fresh database, on a random port. */
export async function startHttpApp(
  env: Record<string, string> = {},
  logger: Logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
): Promise<HttpApp> {
  const db = await createTestDatabase(allMigrations());
  const config = loadConfig({
    DATABASE_URL: db.url,
    TALLY_ADMIN_TOKEN: ADMIN_TOKEN,
    TALLY_PG_POOL_SIZE: '30',
    ...env,
  });
  const app: NestFastifyApplication = await createApp(config, logger);
  const routes: ServedRoute[] = [];
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) {
        routes.push({ method, url: route.url, schema: route.schema });
      }
    });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const store = new PostgresEventStore({ pool: db.pool, url: db.url });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    routes,
    db,
    store,
    nest: app,
    close: async () => {
      await store.close();
      await app.close();
      await db.drop();
    },
  };
}

export interface CallResult {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** One HTTP call; `body` undefined sends none, a string is sent raw. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<CallResult> {
  const hasBody = body !== undefined;
  const response = await fetch(baseUrl + path, {
    method,
    headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...headers },
    body: hasBody ? (typeof body === 'string' ? body : JSON.stringify(body)) : undefined,
  });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = { raw: text };
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

export const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

export const countBy = <T>(items: T[], key: (item: T) => string | number): Record<string, number> =>
  items.reduce<Record<string, number>>((acc, item) => {
    const k = String(key(item));
    acc[k] = (acc[k] ?? 0) + 1;
    return acc;
  }, {});
