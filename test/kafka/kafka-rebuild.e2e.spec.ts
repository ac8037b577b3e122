import { randomBytes } from 'node:crypto';
import { foldFromScratch, tableDifference } from '../../libs/projections/src';
import { Relay } from '../../libs/relay/src';
import { pollCountsProjection } from '../../projections/poll-counts';
import { jsonOf, runCli } from '../support/cli-process';
import { useKafkaTestbed } from '../support/kafka-testbed';
import { pollOpened, TEST_TIME } from '../support/poll-events';
import { until } from '../support/projection-harness';
import { startProjector, type ProjectorProcess } from '../support/projector-process';
import { cleanEnv } from '../support/service-process';

describe('Kafka mode: a rebuild under load with two projector processes', () => {
  const bed = useKafkaTestbed();

  it('the swapped tables equal a fold from 0 and every event after the swap is counted once', async () => {
    const topic = bed.topic('tally.events.rebuild');
    const relay = new Relay({
      pool: bed.db().pool,
      store: bed.store(),
      kafka: bed.kafka(),
      topic,
      partitions: 6,
      batchSize: 200,
    });
    await relay.start();
    const kafkaEnv = {
      KAFKA_BROKERS: bed.broker().brokers.join(','),
      TALLY_TOPIC: topic,
      TALLY_PROJECTOR_GROUP: `group-${randomBytes(4).toString('hex')}`,
    };
    const env = cleanEnv({ DATABASE_URL: bed.db().url, ...kafkaEnv });
    const members: ProjectorProcess[] = [await startProjector(env), await startProjector(env)];
    await bed.store().append('poll-r', [pollOpened('r', 'R')], 'no_stream');

    let voters = 0;
    let writing = true;
    const writer = async (): Promise<void> => {
      while (writing) {
        const i = voters++;
        await bed.store().append(
          `ballot-r|v${i}`,
          [
            {
              type: 'Voted',
              data: {
                pollId: 'r',
                voterId: `v${i}`,
                optionId: i % 3 ? 'a' : 'b',
                previousOptionId: null,
                votedAt: TEST_TIME,
              },
            },
          ],
          'no_stream',
        );
      }
    };
    const writers = Array.from({ length: 4 }, () => writer());
    const counted = async (): Promise<number> => {
      const { rows } = await bed
        .db()
        .pool.query<{ n: string }>(
          `SELECT coalesce(sum(votes), 0) AS n FROM proj_poll_options WHERE poll_id = 'r'`,
        );
      return Number(rows[0]?.n);
    };
    await until(async () => (await counted()) >= 1500, 'the group to count a first stretch', {
      timeoutMs: 60_000,
      intervalMs: 200,
    });
    // Live tables gone wrong (as a fold bug would leave them): the rebuild must replace them.
    await bed.db().pool.query(`UPDATE proj_poll_options SET votes = votes + 1000`);

    const rebuild = await runCli(
      ['projections', 'rebuild', 'poll-counts', '--json'],
      bed.db().url,
      {
        ...kafkaEnv,
      },
    );
    expect([rebuild.code, rebuild.stderr]).toEqual([0, expect.any(String)]);
    expect(jsonOf<{ status: string }>(rebuild).status).toBe('completed');
    const atSwap = voters;
    // Events after the swap: the group must fold each once.
    await until(() => Promise.resolve(voters >= atSwap + 1000), 'votes after the swap', {
      timeoutMs: 60_000,
      intervalMs: 100,
    });
    writing = false;
    await Promise.all(writers);

    await until(async () => (await counted()) >= voters, 'the group to count every vote', {
      timeoutMs: 60_000,
      intervalMs: 200,
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await counted()).toBe(voters);
    const oracle = await foldFromScratch({
      pool: bed.db().pool,
      store: bed.store(),
      projection: pollCountsProjection,
      until: await bed.store().headPosition(),
    });
    for (const [logical, live] of Object.entries(pollCountsProjection.tables))
      expect(await tableDifference(bed.db().pool, live, oracle[logical]!)).toBe(0);

    for (const member of members) member.child.kill('SIGTERM');
    await Promise.all(members.map((m) => m.exited));
    await relay.stop();
  }, 240_000);
});
