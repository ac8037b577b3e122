import type { IncomingMessage, ServerOptions } from 'node:http';
import { LogController } from 'fastify';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { NestPinoLogger, type Logger, type TallyConfig } from '@tally/infra';
import { persistedAdminToken } from './admin-token';
import { AppModule } from './app.module';
import { answerUndecodableUrl, installRequestIds, requestIdFor } from './http/http-setup';
import { installOpenApi } from './http/openapi';
import { installHttpMetrics } from './http/http-metrics';
import { installJsonBodyParser } from './http/json-body-parser';
import { installAllowedMethods } from './http/allowed-methods';
import { answerClientError } from './http/client-errors';
import { installAuth } from './http/auth';
import { installSchemaValidation } from './http/schema-validation';

const BODY_LIMIT_BYTES = 64 * 1024;

/** Node checks request deadlines every 30 s by default: once a second keeps them near. */
function httpServerOptions(requestTimeoutMs: number): ServerOptions {
  if (requestTimeoutMs === 0) return {};
  return {
    connectionsCheckingInterval: Math.min(1000, requestTimeoutMs),
    headersTimeout: Math.min(60_000, requestTimeoutMs),
  };
}

export async function createApp(
  config: TallyConfig,
  logger: Logger,
): Promise<NestFastifyApplication> {
  const admin = config.adminToken ?? (await persistedAdminToken(config.dataDir, logger));
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    loggerInstance: logger,
    // Fastify's two lines per request (received, completed) cost the hot path; see accessLog.
    logController: new LogController({ disableRequestLogging: true }),
    // Longer ids reach validation and get the contract's 400 instead of Fastify's 414.
    routerOptions: { maxParamLength: 1000 },
    // Undecodable URLs (`%ZZ`) are refused by Fastify before Nest sees them.
    frameworkErrors: answerUndecodableUrl(config.accessLog),
    // A stalled request is cut off (408) within a second of its deadline, not held open.
    requestTimeout: config.httpRequestTimeoutMs,
    http: httpServerOptions(config.httpRequestTimeoutMs),
    // Requests Node's parser refuses get a contract body too.
    clientErrorHandler: answerClientError,
    genReqId: (request: IncomingMessage) => requestIdFor(request.headers['x-request-id']),
  });
  const tokens = { admin, api: config.apiToken };
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, logger, tokens),
    adapter,
    { logger: new NestPinoLogger(logger), bodyParser: false },
  );
  installAuth(app.getHttpAdapter().getInstance(), tokens);
  installRequestIds(app, config.accessLog);
  installAllowedMethods(app.getHttpAdapter().getInstance());
  installHttpMetrics(app);
  installJsonBodyParser(app, BODY_LIMIT_BYTES);
  installSchemaValidation(app);
  installOpenApi(app, tokens);
  return app;
}
