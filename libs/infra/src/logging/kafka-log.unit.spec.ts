import { createServer } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaLogCreator } from './kafka-log';
import { createLogger } from './logger';

/** A port nothing listens on: taken, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

describe("kafkajs's log on the process's logger", () => {
  it('writes its entries as pino lines and reports each ERROR, from a real client that cannot connect', async () => {
    const lines: string[] = [];
    const logger = createLogger('debug', 'test', { write: (line: string) => lines.push(line) });
    let errors = 0;
    const kafka = new Kafka({
      clientId: 'log-test',
      brokers: [`127.0.0.1:${await closedPort()}`],
      logLevel: logLevel.WARN,
      logCreator: kafkaLogCreator(logger, () => errors++),
      retry: { retries: 1, initialRetryTime: 50, maxRetryTime: 100 },
      connectionTimeout: 500,
    });
    const producer = kafka.producer();
    await expect(producer.connect()).rejects.toThrow();

    expect(errors).toBeGreaterThan(0);
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const fromKafka = entries.filter((e) => e.component === 'kafkajs');
    // Every ERROR entry was counted, and nothing else was.
    const failed = fromKafka.filter((e) => e.level === 50);
    expect(failed).toHaveLength(errors);
    expect(failed.map((e) => e.namespace)).toContain('Connection');
    expect(failed.some((e) => String(e.msg).includes('ECONNREFUSED'))).toBe(true);
    for (const entry of fromKafka) {
      expect(typeof entry.msg).toBe('string');
      // pino's own time and name, not kafkajs's.
      expect(entry).not.toHaveProperty('timestamp');
      expect(entry.logger).toBeUndefined();
    }
  });
});
