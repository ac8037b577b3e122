import {
  PostgresEventStore,
  eventStoreMigrations,
  type NewEvent,
} from '../../libs/event-store/src';
import { Projector, checkpointMigrations, projectionMigrations } from '../../libs/projections/src';
import { pollCountsProjection } from '../../projections/poll-counts';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const at = '2026-11-22T12:00:00.000Z';

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('poll-counts projection on real PostgreSQL', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeEach(async () => {
    db = await createTestDatabase([
      ...eventStoreMigrations,
      ...checkpointMigrations,
      ...projectionMigrations([pollCountsProjection]),
    ]);
    store = new PostgresEventStore({ pool: db.pool, url: db.url, pollIntervalMs: 50 });
  });
  afterEach(async () => {
    await store.close();
    await db.drop();
  });

  /** 600 voters; a third change their vote, a sixth retract: the expected counts by construction. */
  let last = 0n;
  const track = (position: bigint): void => {
    if (position > last) last = position;
  };

  async function castVotes(): Promise<{ a: number; b: number; total: number }> {
    await store.append(
      'poll-p1',
      [
        {
          type: 'PollOpened',
          data: {
            pollId: 'p1',
            title: 'Lunch',
            options: [
              { optionId: 'a', text: 'A' },
              { optionId: 'b', text: 'B' },
            ],
            openedAt: at,
          },
        },
      ],
      'no_stream',
    );
    const expected = { a: 0, b: 0, total: 0 };
    await Promise.all(
      Array.from({ length: 600 }, async (_, i) => {
        const stream = `ballot-p1|v${i}`;
        const first = i % 2 ? 'a' : 'b';
        const events: NewEvent[] = [
          {
            type: 'Voted',
            data: {
              pollId: 'p1',
              voterId: `v${i}`,
              optionId: first,
              previousOptionId: null,
              votedAt: at,
            },
          },
        ];
        let final: string | null = first;
        if (i % 3 === 0) {
          const other = first === 'a' ? 'b' : 'a';
          events.push({
            type: 'Voted',
            data: {
              pollId: 'p1',
              voterId: `v${i}`,
              optionId: other,
              previousOptionId: first,
              votedAt: at,
            },
          });
          final = other;
        }
        if (i % 6 === 1) {
          events.push({
            type: 'VoteRetracted',
            data: { pollId: 'p1', voterId: `v${i}`, optionId: final, retractedAt: at },
          });
          final = null;
        }
        for (const event of events) track((await store.append(stream, [event], 'any')).position);
        if (final === 'a') expected.a++;
        if (final === 'b') expected.b++;
        if (final !== null) expected.total++;
      }),
    );
    return expected;
  }

  const counts = async () => {
    const { rows } = await db.pool.query<{
      option_id: string;
      votes: string;
      total_votes: string;
      title: string;
    }>(
      `SELECT o.option_id, o.votes, p.total_votes, p.title FROM proj_poll_options o JOIN proj_polls p USING (poll_id)
        WHERE poll_id = 'p1' ORDER BY o.ord`,
    );
    return rows;
  };

  it('folds changed and retracted votes exactly, and two projectors racing never count twice', async () => {
    const expected = await castVotes();
    // Our own last write, not the visible head: the head also waits on other databases' transactions.
    const head = last;
    const projectors = [0, 1].map(
      () =>
        new Projector({
          pool: db.pool,
          store,
          projections: [pollCountsProjection],
          batchSize: 100,
        }),
    );
    await Promise.all(projectors.map((p) => p.start()));
    await until(async () => {
      const { rows } = await db.pool.query<{ position: string }>(
        `SELECT position FROM tally_projection_checkpoints WHERE name = 'poll-counts'`,
      );
      return BigInt(rows[0]?.position ?? 0) >= head;
    }, 'the projection to reach the head');
    await Promise.all(projectors.map((p) => p.stop()));
    const rows = await counts();
    expect(rows.map((r) => [r.option_id, Number(r.votes)])).toEqual([
      ['a', expected.a],
      ['b', expected.b],
    ]);
    expect(Number(rows[0]?.total_votes)).toBe(expected.total);
    expect(rows[0]?.title).toBe('Lunch');
  });
});
