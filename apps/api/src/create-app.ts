import type { IncomingMessage } from 'node:http';
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { NestPinoLogger, type Logger, type TallyConfig } from '@tally/infra';
import { AppModule } from './app.module';
import { errorReply } from './http/error-codes';
import { installOpenApi, installRequestIds, requestIdFor } from './http/http-setup';
import { installJsonBodyParser } from './http/json-body-parser';
import { installAuth } from './http/auth';
import { installSchemaValidation } from './http/schema-validation';

const BODY_LIMIT_BYTES = 64 * 1024;

export async function createApp(
  config: TallyConfig,
  logger: Logger,
): Promise<NestFastifyApplication> {
  let admin = config.adminToken;
  if (!admin) {
    admin = randomBytes(24).toString('base64url');
    logger.warn(
      { adminToken: admin },
      'TALLY_ADMIN_TOKEN is unset: generated this admin token for this run',
    );
  }
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    loggerInstance: logger,
    // Fastify's two lines per request (received, completed) cost the hot path; see accessLog.
    logController: new LogController({ disableRequestLogging: true }),
    // Longer ids reach validation and get the contract's 400 instead of Fastify's 414.
    routerOptions: { maxParamLength: 1000 },
    // Undecodable URLs (`%ZZ`) are refused by Fastify before Nest sees them.
    frameworkErrors: (error: Error, _request: FastifyRequest, reply: FastifyReply) => {
      const { status, body } = errorReply('validation_failed', error.message, {
        details: [{ field: 'url', reason: error.message }],
      });
      void reply.status(status).send(body);
    },
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
  installJsonBodyParser(app, BODY_LIMIT_BYTES);
  installSchemaValidation(app);
  installOpenApi(app);
  return app;
}
