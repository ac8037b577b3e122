import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port';

const ROOT = join(__dirname, '..', '..');
const run = promisify(execFile);

export interface Broker {
  brokers: string[];
  stop(): Promise<void>;
}

/**
 * KAFKA_BROKERS when set; otherwise a real single-node Kafka started by scripts/kafka on free
 * loopback ports with its own data folder (the jars are shared with .kafka/libs).
 */
export async function useBroker(): Promise<Broker> {
  const configured = process.env.KAFKA_BROKERS;
  if (configured) return { brokers: configured.split(','), stop: () => Promise.resolve() };
  const env = {
    ...process.env,
    KAFKA_PORT: String(await freePort()),
    KAFKA_CONTROLLER_PORT: String(await freePort()),
    KAFKA_DATA_DIR: join(ROOT, '.tally', `kafka-test-${process.pid}`),
    KAFKA_LIBS_DIR: join(ROOT, '.kafka', 'libs'),
  };
  const script = join(ROOT, 'scripts', 'kafka', 'kafka.sh');
  await run('bash', [script, 'start'], { env, cwd: ROOT, timeout: 170_000 });
  return {
    brokers: [`127.0.0.1:${env.KAFKA_PORT}`],
    stop: async () => {
      await run('bash', [script, 'stop'], { env, cwd: ROOT, timeout: 60_000 });
      await rm(env.KAFKA_DATA_DIR, { recursive: true, force: true });
    },
  };
}
