import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port';

const ROOT = join(__dirname, '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'kafka', 'kafka.sh');
const run = promisify(execFile);

export interface Broker {
  brokers: string[];
  stop(): Promise<void>;
}

/** A broker of this test run's own, which can be taken down and brought back. */
export interface LocalBroker extends Broker {
  /** Stops the broker process (SIGTERM, as an operator would) and keeps its ports and data. */
  halt(): Promise<void>;
  /** Starts the halted broker again: same ports, same data folder, same cluster. */
  start(): Promise<void>;
}

/**
 * A real single-node Kafka started by scripts/kafka on free loopback ports with its own data
 * folder (the jars are shared with .kafka/libs); `stop` ends it and deletes the folder.
 */
export async function startLocalBroker(): Promise<LocalBroker> {
  const env = {
    ...process.env,
    KAFKA_PORT: String(await freePort()),
    KAFKA_CONTROLLER_PORT: String(await freePort()),
    KAFKA_DATA_DIR: join(ROOT, '.tally', `kafka-test-${process.pid}`),
    KAFKA_LIBS_DIR: join(ROOT, '.kafka', 'libs'),
  };
  const script = async (command: 'start' | 'stop'): Promise<void> => {
    await run('bash', [SCRIPT, command], {
      env,
      cwd: ROOT,
      timeout: command === 'start' ? 170_000 : 60_000,
    });
  };
  await script('start');
  return {
    brokers: [`127.0.0.1:${env.KAFKA_PORT}`],
    halt: () => script('stop'),
    start: () => script('start'),
    stop: async () => {
      await script('stop');
      await rm(env.KAFKA_DATA_DIR, { recursive: true, force: true });
    },
  };
}

/** KAFKA_BROKERS when set; otherwise a broker of our own (see startLocalBroker). */
export async function useBroker(): Promise<Broker> {
  const configured = process.env.KAFKA_BROKERS;
  if (configured) return { brokers: configured.split(','), stop: () => Promise.resolve() };
  return startLocalBroker();
}
