import {
  KafkaProjector,
  listParked,
  readCheckpoints,
  retryParked,
} from '../../libs/projections/src';
import { readProjectionStatus } from '../../libs/ops/src';
import { Relay } from '../../libs/relay/src';
import { pollCountsProjection } from '../../projections/poll-counts';
import { useKafkaTestbed } from '../support/kafka-testbed';
import { appendPoisonedPoll, bombedPollCounts } from '../support/poison-events';
import { until } from '../support/projection-harness';

describe('parking poison events (Kafka mode)', () => {
  const bed = useKafkaTestbed([pollCountsProjection]);

  it('the group counts the good votes exactly, parks the bad ones and its checkpoint reaches the head; a retry folds the repaired one', async () => {
    const pool = bed.db().pool;
    const { bad, a, b } = await appendPoisonedPoll(pool, 'k1');
    const head = await bed.store().headPosition();
    const kafka = bed.kafka();
    const topic = bed.topic();
    const relay = new Relay({
      pool,
      store: bed.store(),
      kafka,
      topic,
      name: 'relay-p',
      partitions: 3,
    });
    await relay.start();
    // The topic exists and holds every event before the group joins: it reads from the start.
    await until(
      () => Promise.resolve(relay.published() >= head),
      'the relay to publish everything',
    );
    const control = { armed: true };
    const projector = new KafkaProjector({
      pool,
      kafka,
      topic,
      groupId: `parking-${topic}`,
      projections: [bombedPollCounts(control)],
    });
    await projector.start();
    try {
      await until(
        async () =>
          ((await readCheckpoints(pool, ['poll-counts'])).get('poll-counts') ?? 0n) >= head,
        'the group checkpoint to pass the poison',
        { timeoutMs: 90_000 },
      );
    } finally {
      await projector.stop();
      await relay.stop();
    }
    const votes = async (): Promise<[string, number][]> =>
      (
        await pool.query<{ option_id: string; votes: string }>(
          `SELECT option_id, votes FROM proj_poll_options WHERE poll_id = 'k1' ORDER BY option_id`,
        )
      ).rows.map((r) => [r.option_id, Number(r.votes)]);
    expect(await votes()).toEqual([
      ['a', a],
      ['b', b],
    ]);
    const parked = await listParked(pool, 'poll-counts');
    expect(parked.map((p) => p.position).sort()).toEqual(
      [bad.missing, bad.nullData, bad.wrongType, bad.bomb].map(String).sort(),
    );
    expect(parked.find((p) => p.position === bad.bomb.toString())?.error).toBe(
      'fold failed: cannot fold a vote by bomb',
    );
    const [status] = await readProjectionStatus(pool, bed.store(), [pollCountsProjection]);
    expect(status).toMatchObject({ status: 'live', lagEvents: 0, parkedEvents: 4 });

    control.armed = false;
    const retried = await retryParked({
      pool,
      store: bed.store(),
      projection: bombedPollCounts(control),
      position: bad.bomb,
    });
    expect(retried.folded).toEqual([bad.bomb.toString()]);
    expect(await votes()).toEqual([
      ['a', a],
      ['b', b + 1],
    ]);
  }, 240_000);
});
