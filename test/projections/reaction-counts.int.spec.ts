import { decideReaction, reactionStreamId, type ReactionEvent } from '../../libs/domain/src';
import {
  PostgresEventStore,
  eventStoreMigrations,
  type ExpectedRevision,
  type NewEvent,
} from '../../libs/event-store/src';
import {
  Projector,
  checkpointMigrations,
  projectionMigrations,
  type ProjectionChange,
} from '../../libs/projections/src';
import { reactionCountsProjection } from '../../projections/reaction-counts';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const at = '2026-11-22T12:00:00.000Z';
const posts = ['p1', 'p2', 'p3'];
const types = ['like', 'heart'];

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('reaction-counts projection on real PostgreSQL', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  /** The last appended position: the projection is done when its checkpoint reaches it. */
  let appended: bigint;
  const append = async (
    stream: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ) => {
    const result = await store.append(stream, events, expected);
    if (result.position > appended) appended = result.position;
    return result;
  };

  beforeEach(async () => {
    db = await createTestDatabase([
      ...eventStoreMigrations,
      ...checkpointMigrations,
      ...projectionMigrations([reactionCountsProjection]),
    ]);
    store = new PostgresEventStore({ pool: db.pool, url: db.url, pollIntervalMs: 50 });
    appended = 0n;
  });
  afterEach(async () => {
    await store.close();
    await db.drop();
  });

  /** Two projectors racing with small batches, until the checkpoint reaches the last append. */
  async function project(): Promise<Map<string, { position: bigint; change: ProjectionChange }>> {
    const live = new Map<string, { position: bigint; change: ProjectionChange }>();
    const projectors = [0, 1].map(
      () =>
        new Projector({
          pool: db.pool,
          store,
          projections: [reactionCountsProjection],
          batchSize: 50,
          onCommitted: (_name, position, changes) => {
            for (const change of changes) {
              const key = `${change.key}/${String(change.value.type)}`;
              if ((live.get(key)?.position ?? -1n) < position) live.set(key, { position, change });
            }
          },
        }),
    );
    await Promise.all(projectors.map((p) => p.start()));
    await until(async () => {
      const { rows } = await db.pool.query<{ position: string }>(
        `SELECT position FROM tally_projection_checkpoints WHERE name = 'reaction-counts'`,
      );
      return BigInt(rows[0]?.position ?? 0) >= appended;
    }, 'the projection to reach the last append');
    await Promise.all(projectors.map((p) => p.stop()));
    return live;
  }

  /**
   * 360 users each toggle one reaction 1 to 4 times, all at once; a user's toggles go to
   * the user's own stream one after another, decided against its state like the API does.
   */
  async function toggleReactions(): Promise<Map<string, number>> {
    const expected = new Map<string, number>();
    await Promise.all(
      Array.from({ length: 360 }, async (_, i) => {
        const postId = posts[i % posts.length]!;
        const type = types[Math.floor(i / posts.length) % types.length]!;
        const userId = `u${i}`;
        const stream = reactionStreamId(postId, type, userId);
        let active = false;
        for (let n = 0; n < (i % 4) + 1; n++) {
          const decision = decideReaction(
            { type: 'ToggleReaction', data: { postId, type, userId, at } },
            { active },
          );
          if (!decision.ok) throw new Error('a toggle is never rejected');
          const events: ReactionEvent[] = decision.events;
          await append(stream, events, n === 0 ? 'no_stream' : n - 1);
          active = !active;
        }
        const key = `${postId}/${type}`;
        expected.set(key, (expected.get(key) ?? 0) + (active ? 1 : 0));
      }),
    );
    return expected;
  }

  it('counts active reactions exactly per post and type with two projectors racing', async () => {
    const expected = await toggleReactions();
    const live = await project();
    const { rows } = await db.pool.query<{ post_id: string; type: string; n: string }>(
      'SELECT post_id, type, n FROM proj_reaction_counts ORDER BY post_id, type',
    );
    expect(rows.map((r) => [`${r.post_id}/${r.type}`, Number(r.n)])).toEqual(
      [...expected].sort(([a], [b]) => (a < b ? -1 : 1)),
    );
    // The last live update of every pair carries the committed count.
    for (const [key, count] of expected) {
      const [postId, type] = key.split('/');
      expect(live.get(key)?.change).toEqual({ key: postId, value: { postId, type, count } });
    }
  });
});
