import 'reflect-metadata';
import { createLogger, loadConfig, onShutdownSignal } from '@tally/infra';
import { createApp } from './create-app';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'tally-api');
  const app = await createApp(config, logger);
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
