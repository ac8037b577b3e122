import { decideReaction, reactionStreamId, type ReactionEvent } from '../../libs/domain/src';
import { reactionCountsProjection } from '../../projections/reaction-counts';
import { useProjectionDatabase } from '../support/projection-harness';

const at = '2026-11-22T12:00:00.000Z';
const posts = ['p1', 'p2', 'p3'];
const types = ['like', 'heart'];

describe('reaction-counts projection on real PostgreSQL', () => {
  const harness = useProjectionDatabase([reactionCountsProjection]);

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
          await harness.append(stream, events, n === 0 ? 'no_stream' : n - 1);
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
    // Two projectors racing with small batches; the last live update per post and type.
    const live = await harness.project({
      batchSize: 50,
      keyOf: (change) => `${change.key}/${String(change.value.type)}`,
    });
    const { rows } = await harness.pool.query<{ post_id: string; type: string; n: string }>(
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
