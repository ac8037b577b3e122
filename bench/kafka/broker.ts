import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../lib/report';

const run = promisify(execFile);

export interface BenchBroker {
  brokers: string[];
  source: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * KAFKA_BROKERS when set; otherwise a single-node Kafka of this run's own, started by
 * scripts/kafka on free loopback ports with its own data folder, deleted by `stop`.
 */
export async function benchBroker(log: (line: string) => void): Promise<BenchBroker> {
  const configured = process.env.KAFKA_BROKERS;
  if (configured) {
    return {
      brokers: configured.split(','),
      source: 'KAFKA_BROKERS',
      stop: () => Promise.resolve(),
    };
  }
  const root = await repoRoot();
  const env = {
    ...process.env,
    KAFKA_PORT: String(await freePort()),
    KAFKA_CONTROLLER_PORT: String(await freePort()),
    KAFKA_DATA_DIR: join(root, '.tally', `kafka-bench-${process.pid}`),
    KAFKA_LIBS_DIR: join(root, '.kafka', 'libs'),
  };
  const script = join(root, 'scripts', 'kafka', 'kafka.sh');
  log(`KAFKA_BROKERS unset: starting a broker on 127.0.0.1:${env.KAFKA_PORT} (scripts/kafka)`);
  await run('bash', [script, 'start'], { env, cwd: root, timeout: 170_000 });
  return {
    brokers: [`127.0.0.1:${env.KAFKA_PORT}`],
    source: 'scripts/kafka',
    stop: async () => {
      await run('bash', [script, 'stop'], { env, cwd: root, timeout: 60_000 });
      await rm(env.KAFKA_DATA_DIR, { recursive: true, force: true });
    },
  };
}
