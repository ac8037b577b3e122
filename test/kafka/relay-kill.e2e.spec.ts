import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { NewEvent } from '../../libs/event-store/src';
import { foldFromScratch, tableDifference } from '../../libs/projections/src';
import { allProjections } from '../../projections';
import { useKafkaTestbed } from '../support/kafka-testbed';
import { pollOpened, TEST_TIME as at } from '../support/poll-events';
import { PositionTracker, until } from '../support/projection-harness';
import { startApp, type AppProcess } from '../support/app-process';
import { cleanEnv } from '../support/service-process';

/** Relay runs that end in a SIGKILL; the third dies with a batch acknowledged, not checkpointed. */
const KILLS = 5;
const ACK_WINDOW_KILL = 2;
const WRITERS = 4;
const BACKLOG = 3_000;

/** Voter i votes; every second one changes the vote; every fourth then retracts it. */
function ballot(i: number): { events: NewEvent[]; final: 'a' | 'b' | null } {
  const voterId = `v${i}`;
  const first = i % 2 ? 'a' : 'b';
  const other = first === 'a' ? 'b' : 'a';
  const voted = (optionId: string, previousOptionId: string | null): NewEvent => ({
    type: 'Voted',
    data: { pollId: 'r', voterId, optionId, previousOptionId, votedAt: at },
  });
  if (i % 2 === 1) return { events: [voted(first, null)], final: first };
  const changed = [voted(first, null), voted(other, first)];
  if (i % 4 !== 0) return { events: changed, final: other };
  const retracted = { pollId: 'r', voterId, optionId: other, retractedAt: at };
  return { events: [...changed, { type: 'VoteRetracted', data: retracted }], final: null };
}

interface Kill {
  checkpoint: bigint;
  head: bigint;
  /** The checkpoint this relay run started from. */
  from: bigint;
}

describe('the relay process killed with SIGKILL while publishing under load', () => {
  const bed = useKafkaTestbed();
  const query = async (sql: string, params: unknown[] = []): Promise<Record<string, string>[]> =>
    (await bed.db().pool.query<Record<string, string>>(sql, params)).rows;
  const checkpoint = async (): Promise<bigint> =>
    BigInt(
      (await query(`SELECT position FROM tally_relay_checkpoints WHERE name = 'relay'`))[0]
        ?.position ?? 0,
    );
  const head = async (): Promise<bigint> =>
    BigInt((await query('SELECT coalesce(max(position), 0) AS p FROM tally_events'))[0]!.p!);

  /** SIGKILL once the run has published a batch, while the log still runs ahead of it. */
  async function killPublishing(relay: AppProcess, from: bigint): Promise<Kill> {
    await until(async () => (await checkpoint()) > from, 'the relay to publish a batch', {
      intervalMs: 5,
    });
    const before = await head();
    relay.child.kill('SIGKILL');
    await relay.exited;
    return { checkpoint: await checkpoint(), head: before, from };
  }

  /**
   * SIGKILL in the worst place: the broker has acknowledged a batch and the relay waits to
   * write its checkpoint (held back by a table lock, which takes no transaction id and so
   * holds no reader back). Its connection is then ended, as a dead host's would be.
   */
  async function killAfterAck(relay: AppProcess, from: bigint): Promise<Kill> {
    const lock = await bed.db().pool.connect();
    let before = 0n;
    try {
      await lock.query('BEGIN');
      await lock.query('LOCK TABLE tally_relay_checkpoints IN EXCLUSIVE MODE');
      let waiting: string | undefined;
      await until(async () => {
        waiting = (
          await query(
            `SELECT pid FROM pg_stat_activity WHERE datname = current_database()
               AND wait_event_type = 'Lock' AND query LIKE 'UPDATE tally_relay_checkpoints%'`,
          )
        )[0]?.pid;
        return waiting !== undefined;
      }, 'the relay to wait on its checkpoint with a batch acknowledged');
      before = await head();
      relay.child.kill('SIGKILL');
      await relay.exited;
      await query('SELECT pg_terminate_backend($1)', [waiting]);
    } finally {
      await lock.query('ROLLBACK');
      lock.release();
    }
    return { checkpoint: await checkpoint(), head: before, from };
  }

  /** How many messages on the topic carry each event id, read from the start to `messages`. */
  async function eventCopies(topic: string, messages: number): Promise<Map<string, number>> {
    const copies = new Map<string, number>();
    let read = 0;
    const reader = bed.kafka().consumer({ groupId: `reader-${randomBytes(4).toString('hex')}` });
    await reader.connect();
    try {
      await reader.subscribe({ topic, fromBeginning: true });
      await reader.run({
        eachMessage: ({ message }) => {
          read++;
          const id = message.headers?.['event-id']?.toString();
          if (id) copies.set(id, (copies.get(id) ?? 0) + 1);
          return Promise.resolve();
        },
      });
      await until(() => Promise.resolve(read >= messages), 'the whole topic to be read');
    } finally {
      await reader.disconnect();
    }
    return copies;
  }

  // Whatever a failing test leaves running is ended with it.
  const children = new Set<ChildProcess>();
  afterEach(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  });
  const started = <T extends { child: ChildProcess }>(running: T): T => {
    children.add(running.child);
    return running;
  };

  it('restarted each time: every event reaches the read model once, though the topic holds duplicates', async () => {
    const env = cleanEnv({
      DATABASE_URL: bed.db().url,
      KAFKA_BROKERS: bed.broker().brokers.join(','),
      TALLY_TOPIC: bed.topic(),
      TALLY_TOPIC_PARTITIONS: '6',
      TALLY_PROJECTOR_GROUP: `group-${randomBytes(4).toString('hex')}`,
      // A SIGKILLed member's partitions wait this long (the default is 30 s).
      TALLY_KAFKA_SESSION_TIMEOUT_MS: '10000',
    });
    const topic = env.TALLY_TOPIC!;
    const group = env.TALLY_PROJECTOR_GROUP;
    const admin = bed.kafka().admin();
    await admin.connect();
    // Provisioned up front, as an operator would: the projector may start before any relay.
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 6 }] });
    const projector = started(await startApp('projector', env));

    const store = bed.store();
    const appended = new PositionTracker();
    appended.track((await store.append('poll-r', [pollOpened('r', 'R')], 'no_stream')).position);
    const expected = { a: 0, b: 0 };
    let events = 1;
    let next = 0;
    let writing = true;
    const writer = async (): Promise<void> => {
      while (writing) {
        const i = next++;
        const { events: ballotEvents, final } = ballot(i);
        for (const [revision, event] of ballotEvents.entries()) {
          const expectedRevision = revision === 0 ? 'no_stream' : revision - 1;
          appended.track(
            (await store.append(`ballot-r|v${i}`, [event], expectedRevision)).position,
          );
          events++;
        }
        if (final) expected[final]++;
      }
    };
    const load = Promise.all(Array.from({ length: WRITERS }, () => writer()));
    const kills: Kill[] = [];
    try {
      await until(() => Promise.resolve(events >= BACKLOG), 'a backlog for the relay');
      for (let run = 0; run < KILLS; run++) {
        const from = await checkpoint();
        const relay = started(await startApp('relay', env));
        kills.push(
          run === ACK_WINDOW_KILL
            ? await killAfterAck(relay, from)
            : await killPublishing(relay, from),
        );
      }
    } finally {
      writing = false;
      await load;
    }

    const relay = started(await startApp('relay', env));
    const last = appended.last;
    await until(async () => (await checkpoint()) >= last, 'the last relay to publish everything', {
      timeoutMs: 60_000,
      intervalMs: 100,
    });
    const ends = await admin.fetchTopicOffsets(topic);
    await until(
      async () => {
        const stored = await query(
          'SELECT partition, next_offset FROM tally_kafka_offsets WHERE group_id = $1',
          [group],
        );
        const at = new Map(stored.map((r) => [Number(r.partition), r.next_offset]));
        return ends.every((e) => BigInt(at.get(e.partition) ?? 0) >= BigInt(e.offset));
      },
      'the projector to consume every partition to its end',
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    relay.child.kill('SIGTERM');
    projector.child.kill('SIGTERM');
    expect([await relay.exited, await projector.exited]).toEqual([0, 0]);
    const final = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();

    // Each kill landed mid-publish: this run had published, and the log was ahead of it.
    // The one killed after the broker's ack kept its old checkpoint, so that batch was sent again.
    for (const [run, kill] of kills.entries()) {
      if (run === ACK_WINDOW_KILL) expect(kill.checkpoint).toBe(kill.from);
      else expect(kill.checkpoint).toBeGreaterThan(kill.from);
      expect(kill.checkpoint).toBeLessThan(kill.head);
    }
    // The topic really holds duplicates: every event of the log, some of them twice.
    const copies = await eventCopies(
      topic,
      final.reduce((n, e) => n + Number(e.offset), 0),
    );
    const inStore = Number((await query('SELECT count(*) AS n FROM tally_events'))[0]!.n);
    expect(inStore).toBe(events);
    expect(copies.size).toBe(inStore);
    expect([...copies.values()].filter((n) => n > 1).length).toBeGreaterThan(0);

    const counts = await query(
      `SELECT o.option_id, o.votes, p.total_votes FROM proj_poll_options o JOIN proj_polls p USING (poll_id)
        WHERE poll_id = 'r' ORDER BY o.option_id`,
    );
    expect(counts.map((r) => [r.option_id, Number(r.votes)])).toEqual([
      ['a', expected.a],
      ['b', expected.b],
    ]);
    // Every stream applied up to its last revision in the store: nothing missing, nothing ahead.
    const streamsOff = await query(
      `SELECT count(*) AS n FROM (
         (SELECT stream_id, max(revision) FROM tally_events GROUP BY stream_id
          EXCEPT SELECT stream_id, revision FROM tally_kafka_stream_progress WHERE group_id = $1)
         UNION ALL
         (SELECT stream_id, revision FROM tally_kafka_stream_progress WHERE group_id = $1
          EXCEPT SELECT stream_id, max(revision) FROM tally_events GROUP BY stream_id)) d`,
      [group],
    );
    expect(Number(streamsOff[0]!.n)).toBe(0);
    // Folded from the store from position 0, every projection equals the one fed by Kafka.
    for (const projection of allProjections) {
      const pool = bed.db().pool;
      const shadows = await foldFromScratch({ pool, store, projection, until: last });
      for (const [logical, live] of Object.entries(projection.tables)) {
        expect({ live, difference: await tableDifference(pool, live, shadows[logical]!) }).toEqual({
          live,
          difference: 0,
        });
      }
    }
  }, 180_000);
});
