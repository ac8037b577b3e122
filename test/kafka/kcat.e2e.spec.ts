import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { type PostgresEventStore } from '../../libs/event-store/src';
import { Relay } from '../../libs/relay/src';
import { useKafkaTestbed } from '../support/kafka-testbed';
import { until } from '../support/projection-harness';
import type { TestDatabase } from '../support/test-database';

const run = promisify(execFile);

/** A client no one here wrote (kcat, from Debian) reads what the relay published. */
describe('the topic read by kcat', () => {
  const bed = useKafkaTestbed();
  const store = (): PostgresEventStore => bed.store();
  const db = (): TestDatabase => bed.db();

  it('sees every event with its key and its type, position, revision and event-id headers', async () => {
    const appended: bigint[] = [];
    for (let i = 0; i < 20; i++) {
      const { position } = await store().append(
        `item-k${i % 4}`,
        [{ type: 'Restocked', data: { sku: `k${i % 4}`, quantity: 1, stock: i } }],
        'any',
      );
      appended.push(position);
    }
    const topic = `tally.events.kcat.${randomBytes(4).toString('hex')}`;
    const kafka = new Kafka({
      clientId: 'tally-test',
      brokers: bed.broker().brokers,
      logLevel: logLevel.NOTHING,
    });
    const relay = new Relay({ pool: db().pool, store: store(), kafka, topic, partitions: 3 });
    await relay.start();
    await until(
      () => Promise.resolve(relay.published() >= appended.at(-1)!),
      'the relay to publish',
    );
    await relay.stop();

    const { stdout } = await run(
      'kcat',
      ['-b', bed.broker().brokers[0]!, '-t', topic, '-C', '-e', '-q', '-f', '%p\t%k\t%h\t%s\n'],
      { timeout: 60_000 },
    );
    const all = stdout
      .trim()
      .split('\n')
      .map((line) => line.split('\t') as [string, string, string, string]);
    // The relay's watermarks: on every partition, after the events, the last position.
    const isWatermark = ([, , headers]: readonly string[]): boolean =>
      headers!.includes('type=tally.watermark');
    const last = appended.at(-1)!.toString();
    for (const partition of ['0', '1', '2']) {
      const onPartition = all.filter(([p]) => p === partition);
      const final = onPartition.at(-1)!;
      expect(isWatermark(final)).toBe(true);
      expect(JSON.parse(final[3])).toEqual({ watermark: last, partitions: 3 });
    }
    const lines = all
      .filter((line) => !isWatermark(line))
      .map((fields) => fields.slice(1).join('\t'));
    expect(lines).toHaveLength(20);
    const positions = new Set(appended.map(String));
    for (const line of lines) {
      const [key, headers, value] = line.split('\t') as [string, string, string];
      const event = JSON.parse(value) as {
        id: string;
        streamId: string;
        revision: number;
        position: string;
      };
      expect(key).toBe(event.streamId);
      expect(positions.has(event.position)).toBe(true);
      expect(headers.split(',').sort()).toEqual(
        [
          `event-id=${event.id}`,
          `position=${event.position}`,
          `revision=${event.revision}`,
          'type=Restocked',
        ].sort(),
      );
    }
  }, 240_000);
});
