import { allMigrations } from '../../apps/shared/src/all-migrations';
import { PostgresEventStore, type NewEvent } from '../../libs/event-store/src';
import { foldFromScratch, readCheckpoints, tableDifference } from '../../libs/projections/src';
import { allProjections } from '../../projections';
import { PositionTracker, until } from '../support/projection-harness';
import { startProjector, type ProjectorProcess } from '../support/projector-process';
import { cleanEnv } from '../support/service-process';
import { pollOpened } from '../support/poll-events';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const VOTERS = 12_000;
const KILLS = 20;
const at = '2026-11-22T12:00:00.000Z';

/** Voter i votes; every second one changes their vote; every fourth then retracts it. */
function ballot(i: number): { events: NewEvent[]; final: 'a' | 'b' | null } {
  const voterId = `v${i}`;
  const first = i % 2 ? 'a' : 'b';
  const other = first === 'a' ? 'b' : 'a';
  const events: NewEvent[] = [
    {
      type: 'Voted',
      data: { pollId: 'k', voterId, optionId: first, previousOptionId: null, votedAt: at },
    },
  ];
  if (i % 2 === 1) return { events, final: first };
  events.push({
    type: 'Voted',
    data: { pollId: 'k', voterId, optionId: other, previousOptionId: first, votedAt: at },
  });
  if (i % 4 !== 0) return { events, final: other };
  events.push({
    type: 'VoteRetracted',
    data: { pollId: 'k', voterId, optionId: other, retractedAt: at },
  });
  return { events, final: null };
}

function sideEvent(i: number): { stream: string; event: NewEvent } | undefined {
  switch (i % 5) {
    case 0:
      return {
        stream: `reaction-p${i % 7}|like|v${i}`,
        event: {
          type: 'ReactionToggled',
          data: { postId: `p${i % 7}`, type: 'like', userId: `v${i}`, active: true, at },
        },
      };
    case 1:
      return {
        stream: `post-${i}`,
        event: {
          type: 'PostCreated',
          data: {
            postId: `${i}`,
            threadId: `t${i % 3}`,
            authorId: `v${i}`,
            body: 'hi',
            createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i % 600)).toISOString(),
          },
        },
      };
    case 2:
      return {
        stream: `username-user${i}`,
        event: {
          type: 'UsernameClaimed',
          data: { userId: `u${i}`, username: `User${i}`, normalized: `user${i}`, claimedAt: at },
        },
      };
    default:
      return undefined;
  }
}

describe('the projector killed with SIGKILL 20 times during a 20,000-event load', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase(allMigrations());
    // One transaction per append, as the load ran before appends were group-committed across
    // streams: batched, it would end before most of the kills.
    store = new PostgresEventStore({
      pool: db.pool,
      url: db.url,
      maxBatch: 1,
      appendConcurrency: 8,
    });
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  it('restarted each time, it ends with every count exact: nothing lost, nothing counted twice', async () => {
    await store.append('poll-k', [pollOpened('k', 'K')], 'no_stream');
    const expected = { a: 0, b: 0 };
    let appended = 1;
    const appendedTo = new PositionTracker();
    let next = 0;
    const writer = async (): Promise<void> => {
      while (next < VOTERS) {
        const i = next++;
        const { events, final } = ballot(i);
        for (const event of events) {
          appendedTo.track((await store.append(`ballot-k|v${i}`, [event], 'any')).position);
        }
        appended += events.length;
        if (final) expected[final]++;
        // Other projections get events too, so the rebuild comparison below covers every table.
        const other = sideEvent(i);
        if (other) {
          appendedTo.track((await store.append(other.stream, [other.event], 'any')).position);
          appended++;
        }
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, () => writer()));

    const env = cleanEnv({ DATABASE_URL: db.url, TALLY_PROJECTOR_BATCH: '250', LOG_LEVEL: 'info' });
    let projector: ProjectorProcess = await startProjector(env);
    let killsDuringLoad = 0;
    let loading = true;
    void load.then(() => (loading = false));
    for (let kill = 0; kill < KILLS; kill++) {
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 300));
      if (loading) killsDuringLoad++;
      projector.child.kill('SIGKILL');
      await projector.exited;
      projector = await startProjector(env);
    }
    await load;
    expect(appended).toBeGreaterThanOrEqual(20_000);

    const head = appendedTo.last;
    await until(
      async () => {
        const stored = [...(await readCheckpoints(db.pool)).values()];
        return stored.length > 0 && stored.every((position) => position >= head);
      },
      'the projector to catch up',
      { timeoutMs: 120_000, intervalMs: 100 },
    );
    projector.child.kill('SIGTERM');
    expect(await projector.exited).toBe(0);

    const { rows } = await db.pool.query<{ option_id: string; votes: string; total_votes: string }>(
      `SELECT o.option_id, o.votes, p.total_votes FROM proj_poll_options o JOIN proj_polls p USING (poll_id) WHERE poll_id = 'k' ORDER BY o.option_id`,
    );
    expect(rows.map((r) => [r.option_id, Number(r.votes)])).toEqual([
      ['a', expected.a],
      ['b', expected.b],
    ]);
    expect(Number(rows[0]?.total_votes)).toBe(expected.a + expected.b);
    // Rebuilt from position 0, every projection equals the live one, table for table.
    for (const projection of allProjections) {
      const shadows = await foldFromScratch({ pool: db.pool, store, projection, until: head });
      for (const [logical, live] of Object.entries(projection.tables)) {
        expect({
          table: live,
          difference: await tableDifference(db.pool, live, shadows[logical]!),
        }).toEqual({ table: live, difference: 0 });
      }
    }
    // Most kills must land while events were still arriving, or the test proves little.
    expect(killsDuringLoad).toBeGreaterThanOrEqual(KILLS / 2);
  });
});
