import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { NestPinoLogger, createLogger, loadConfig, onShutdownSignal } from '@tally/infra';
import { AppModule } from './app.module';

const BODY_LIMIT_BYTES = 64 * 1024;

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'tally-api');
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, logger),
    new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES }),
    { logger: new NestPinoLogger(logger) },
  );
  await app.listen(config.port, config.host);
  logger.info({ url: await app.getUrl() }, 'tally api listening');
  onShutdownSignal(async (signal) => {
    logger.info({ signal }, 'shutting down: draining requests, closing the store');
    await app.close();
  });
}

bootstrap().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
