import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { type PostgresEventStore, type NewEvent } from '../../libs/event-store/src';
import { KafkaProjector } from '../../libs/projections/src';
import { Relay } from '../../libs/relay/src';
import { pollCountsProjection } from '../../projections/poll-counts';
import { useKafkaTestbed } from '../support/kafka-testbed';
import { until } from '../support/projection-harness';
import type { TestDatabase } from '../support/test-database';
import { pollOpened } from '../support/poll-events';

const at = '2026-11-22T12:00:00.000Z';
const VOTERS = 600;

describe('projections as a Kafka consumer group', () => {
  const bed = useKafkaTestbed([pollCountsProjection]);
  const store = (): PostgresEventStore => bed.store();
  const db = (): TestDatabase => bed.db();

  it('two consumers, every event published twice (a relay resend) → counts exact, offsets stored with the tables', async () => {
    await store().append('poll-kp', [pollOpened('kp', 'K')], 'no_stream');
    const expected = { a: 0, b: 0 };
    await Promise.all(
      Array.from({ length: VOTERS }, async (_, i) => {
        const first = i % 3 ? 'a' : 'b';
        const events: NewEvent[] = [
          {
            type: 'Voted',
            data: {
              pollId: 'kp',
              voterId: `v${i}`,
              optionId: first,
              previousOptionId: null,
              votedAt: at,
            },
          },
        ];
        let final = first;
        if (i % 2 === 0) {
          final = first === 'a' ? 'b' : 'a';
          events.push({
            type: 'Voted',
            data: {
              pollId: 'kp',
              voterId: `v${i}`,
              optionId: final,
              previousOptionId: first,
              votedAt: at,
            },
          });
        }
        await store().append(`ballot-kp|v${i}`, events, 'no_stream');
        expected[final as 'a' | 'b']++;
      }),
    );
    const kafka = new Kafka({
      clientId: 'tally-test',
      brokers: bed.broker().brokers,
      logLevel: logLevel.NOTHING,
    });
    const topic = `tally.events.test.${randomBytes(4).toString('hex')}`;
    // Two relays with their own checkpoints publish the whole log twice: duplicates on the topic.
    const relays = ['relay-a', 'relay-b'].map(
      (name) => new Relay({ pool: db().pool, store: store(), kafka, topic, name, partitions: 6 }),
    );
    for (const relay of relays) await relay.start();
    const head = (
      await db().pool.query<{ m: string }>('SELECT max(position) AS m FROM tally_events')
    ).rows[0]!.m;
    await until(
      () => Promise.resolve(relays.every((r) => r.published() >= BigInt(head))),
      'both relays to publish everything',
    );

    const groupId = `projectors-${randomBytes(4).toString('hex')}`;
    const projectors = [0, 1].map(
      () =>
        new KafkaProjector({
          pool: db().pool,
          kafka,
          topic,
          groupId,
          projections: [pollCountsProjection],
        }),
    );
    await Promise.all(projectors.map((p) => p.start()));
    const admin = kafka.admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    await until(
      async () => {
        const { rows } = await db().pool.query<{ partition: number; next_offset: string }>(
          'SELECT partition, next_offset FROM tally_kafka_offsets WHERE group_id = $1',
          [groupId],
        );
        const stored = new Map(rows.map((r) => [r.partition, r.next_offset]));
        return ends.every((e) => e.offset === '0' || stored.get(e.partition) === e.offset);
      },
      'the group to consume every partition',
      { timeoutMs: 90_000 },
    );
    await Promise.all(projectors.map((p) => p.stop()));
    for (const relay of relays) await relay.stop();

    const { rows } = await db().pool.query<{
      option_id: string;
      votes: string;
      total_votes: string;
    }>(
      `SELECT o.option_id, o.votes, p.total_votes FROM proj_poll_options o JOIN proj_polls p USING (poll_id) WHERE poll_id = 'kp' ORDER BY o.option_id`,
    );
    expect(rows.map((r) => [r.option_id, Number(r.votes)])).toEqual([
      ['a', expected.a],
      ['b', expected.b],
    ]);
    expect(Number(rows[0]?.total_votes)).toBe(VOTERS);
    // Every event really was on the topic twice, so the duplicates were skipped, not absent.
    const total = ends.reduce((n, e) => n + Number(e.offset), 0);
    const stored = Number(
      (await db().pool.query<{ n: string }>('SELECT count(*) AS n FROM tally_events')).rows[0]!.n,
    );
    // Besides: the relays' watermarks, one per partition each time (at least once per relay).
    const watermarks = total - 2 * stored;
    expect(watermarks % 6).toBe(0);
    expect(watermarks).toBeGreaterThanOrEqual(12);
  }, 240_000);
});
