import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { NestPinoLogger, type Logger, type TallyConfig } from '@tally/infra';
import { AppModule } from './app.module';
import { installOpenApi, installRequestContext, requestIdFor } from './http/http-setup';
import { StrictValidationPipe } from './http/validation.pipe';

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
    disableRequestLogging: logger.level !== 'debug' && logger.level !== 'trace',
    genReqId: (request: IncomingMessage) => requestIdFor(request.headers['x-request-id']),
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, logger, { admin, api: config.apiToken }),
    adapter,
    { logger: new NestPinoLogger(logger) },
  );
  installRequestContext(app);
  app.useGlobalPipes(new StrictValidationPipe());
  installOpenApi(app);
  return app;
}
