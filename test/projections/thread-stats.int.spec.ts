import { postStreamId, threadStreamId, type PostCreated } from '../../libs/domain/src';
import { threadStatsProjection } from '../../projections/thread-stats';
import { useProjectionDatabase } from '../support/projection-harness';

const T0 = Date.parse('2026-11-22T12:00:00.000Z');
const iso = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();

interface Expected {
  title: string;
  posts: number;
  last: number;
}

describe('thread-stats projection on real PostgreSQL', () => {
  const harness = useProjectionDatabase([threadStatsProjection]);

  const startThread = (threadId: string, title: string, startedAt: number) =>
    harness.append(
      threadStreamId(threadId),
      [{ type: 'ThreadStarted', data: { threadId, title, startedAt: iso(startedAt) } }],
      'no_stream',
    );
  const createPost = (postId: string, threadId: string, createdAt: number) => {
    const event: PostCreated = {
      type: 'PostCreated',
      data: { postId, threadId, authorId: `a${postId}`, body: 'hello', createdAt: iso(createdAt) },
    };
    return harness.append(postStreamId(postId), [event], 'no_stream');
  };

  async function threads(): Promise<Map<string, Expected & { started: boolean }>> {
    const { rows } = await harness.pool.query<{
      thread_id: string;
      title: string;
      started: boolean;
      post_count: string;
      last_activity_at: Date;
    }>('SELECT * FROM proj_threads ORDER BY thread_id');
    return new Map(
      rows.map((r) => [
        r.thread_id,
        {
          title: r.title,
          started: r.started,
          posts: Number(r.post_count),
          last: r.last_activity_at.getTime(),
        },
      ]),
    );
  }

  it('counts 400 concurrent posts exactly and keeps each thread’s latest activity', async () => {
    const expected = new Map<string, Expected>();
    for (let t = 0; t < 8; t++) {
      await startThread(`t${t}`, `Thread ${t}`, t * 100);
      expected.set(`t${t}`, { title: `Thread ${t}`, posts: 0, last: T0 + t * 100_000 });
    }
    // Creation times scattered so that they rise and fall across the log.
    await Promise.all(
      Array.from({ length: 400 }, async (_, i) => {
        const threadId = `t${i % 7}`;
        const createdAt = ((i * 7919) % 1000) - 300;
        await createPost(`post${i}`, threadId, createdAt);
        const e = expected.get(threadId)!;
        e.posts += 1;
        e.last = Math.max(e.last, T0 + createdAt * 1000);
      }),
    );
    await harness.project({ batchSize: 50 });
    const actual = await threads();
    expect(actual).toEqual(new Map([...expected].map(([id, e]) => [id, { ...e, started: true }])));
    expect(actual.get('t7')).toEqual({
      title: 'Thread 7',
      started: true,
      posts: 0,
      last: T0 + 700_000,
    });
  });

  it('never moves last activity back when older posts come in later batches, nor when posts precede their thread', async () => {
    await startThread('old', 'Old', 0);
    // 150 posts, each older than the one before: the latest lands in the first batch of 50.
    for (let i = 0; i < 150; i++) await createPost(`old${i}`, 'old', 3600 - i);
    // Posts logged before their ThreadStarted (the projection must not depend on the order).
    for (let i = 0; i < 60; i++) await createPost(`early${i}`, 'early', 60 + (i % 11));
    await startThread('early', 'Early bird', 30);
    await harness.project({ batchSize: 50 });
    const actual = await threads();
    expect(actual.get('old')).toEqual({
      title: 'Old',
      started: true,
      posts: 150,
      last: T0 + 3600_000,
    });
    expect(actual.get('early')).toEqual({
      title: 'Early bird',
      started: true,
      posts: 60,
      last: T0 + 70_000,
    });
  });
});
