import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { type PostgresEventStore } from '../../libs/event-store/src';
import { Relay } from '../../libs/relay/src';
import { useKafkaTestbed } from '../support/kafka-testbed';
import { until } from '../support/projection-harness';
import { startProjector, type ProjectorProcess } from '../support/projector-process';
import { cleanEnv } from '../support/service-process';
import type { TestDatabase } from '../support/test-database';
import { pollOpened } from '../support/poll-events';

const at = '2026-11-22T12:00:00.000Z';
const VOTERS = 4_000;

describe('projector processes as a Kafka consumer group, with rebalances', () => {
  const bed = useKafkaTestbed();
  const store = (): PostgresEventStore => bed.store();
  const db = (): TestDatabase => bed.db();

  it('two processes, a third joining mid-load and one killed with SIGKILL → counts exact end to end', async () => {
    const topic = `tally.events.test.${randomBytes(4).toString('hex')}`;
    const kafka = new Kafka({
      clientId: 'tally-test',
      brokers: bed.broker().brokers,
      logLevel: logLevel.NOTHING,
    });
    const relay = new Relay({
      pool: db().pool,
      store: store(),
      kafka,
      topic,
      partitions: 6,
      batchSize: 200,
    });
    await relay.start();
    const env = cleanEnv({
      DATABASE_URL: db().url,
      KAFKA_BROKERS: bed.broker().brokers.join(','),
      TALLY_TOPIC: topic,
      TALLY_PROJECTOR_GROUP: `group-${randomBytes(4).toString('hex')}`,
      // A SIGKILLed member's partitions wait this long (the default is 30 s).
      TALLY_KAFKA_SESSION_TIMEOUT_MS: '10000',
      LOG_LEVEL: 'info',
    });
    const members: ProjectorProcess[] = [await startProjector(env), await startProjector(env)];

    await store().append('poll-g', [pollOpened('g', 'G')], 'no_stream');
    const expected = { a: 0, b: 0 };
    let next = 0;
    const writer = async (): Promise<void> => {
      while (next < VOTERS) {
        const i = next++;
        const optionId = i % 3 ? 'a' : 'b';
        await store().append(
          `ballot-g|v${i}`,
          [
            {
              type: 'Voted',
              data: {
                pollId: 'g',
                voterId: `v${i}`,
                optionId,
                previousOptionId: null,
                votedAt: at,
              },
            },
          ],
          'no_stream',
        );
        expected[optionId]++;
        if (i === Math.floor(VOTERS / 3)) members.push(await startProjector(env));
        if (i === Math.floor((2 * VOTERS) / 3)) {
          members[0]!.child.kill('SIGKILL');
          await members[0]!.exited;
        }
      }
    };
    await Promise.all(Array.from({ length: 4 }, () => writer()));

    await until(
      async () => {
        const { rows } = await db().pool.query<{ votes: string }>(
          `SELECT coalesce(sum(votes), 0) AS votes FROM proj_poll_options WHERE poll_id = 'g'`,
        );
        return Number(rows[0]?.votes) >= VOTERS;
      },
      'the group to count every vote',
      { timeoutMs: 150_000, intervalMs: 200 },
    );
    // Let any redelivery after the rebalance land: it must change nothing.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    for (const member of members.slice(1)) member.child.kill('SIGTERM');
    await Promise.all(members.slice(1).map((m) => m.exited));
    await relay.stop();

    const { rows } = await db().pool.query<{
      option_id: string;
      votes: string;
      total_votes: string;
    }>(
      `SELECT o.option_id, o.votes, p.total_votes FROM proj_poll_options o JOIN proj_polls p USING (poll_id) WHERE poll_id = 'g' ORDER BY o.option_id`,
    );
    expect(rows.map((r) => [r.option_id, Number(r.votes)])).toEqual([
      ['a', expected.a],
      ['b', expected.b],
    ]);
    expect(Number(rows[0]?.total_votes)).toBe(VOTERS);
  }, 300_000);
});
