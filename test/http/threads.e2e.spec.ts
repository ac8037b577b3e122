import type { RecordedEvent } from '../../libs/event-store/src';
import { call, countBy, startHttpApp, type HttpApp } from '../support/http-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const aUuid: unknown = expect.stringMatching(UUID);
const aPosition: unknown = expect.stringMatching(/^\d+$/);

interface PostCreatedData {
  postId: string;
  threadId: string;
  authorId: string;
  body: string;
  createdAt: string;
}

describe('forum threads over HTTP on real PostgreSQL', () => {
  let app: HttpApp;
  beforeAll(async () => {
    app = await startHttpApp();
  });
  afterAll(async () => {
    await app.close();
  });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    call(app.baseUrl, 'POST', path, body, headers);

  /** The global log up to `through`, paged; waits while older transactions elsewhere hide it. */
  async function logThrough(through: bigint): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    const deadline = Date.now() + 10_000;
    let from = 0n;
    while (from < through && Date.now() < deadline) {
      const page = await app.store.readAll(from, 1000);
      events.push(...page);
      from = page.at(-1)?.position ?? from;
      if (page.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return events;
  }

  const postsOf = (events: RecordedEvent[], threadId: string) =>
    events
      .filter((e) => e.type === 'PostCreated')
      .map((e) => ({ event: e, data: e.data as unknown as PostCreatedData }))
      .filter(({ data }) => data.threadId === threadId);

  const eventCount = async (): Promise<number> =>
    Number(
      (await app.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM tally_events')).rows[0]?.n,
    );

  it('when 300 authors post to one thread at once → 300 created, exactly 300 PostCreated events, 300 distinct posts', async () => {
    const started = await post('/threads', { threadId: 'busy', title: 'Busy thread' });
    expect(started).toMatchObject({
      status: 201,
      body: { threadId: 'busy', title: 'Busy thread', revision: 0 },
    });
    const replies = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        post('/threads/busy/posts', { authorId: `author-${i}`, body: `post number ${i}` }),
      ),
    );
    expect(countBy(replies, (r) => r.status)).toEqual({ 201: 300 });
    const postIds = replies.map((r) => String(r.body.postId));
    expect(new Set(postIds).size).toBe(300);
    for (const r of replies) {
      expect(r.body).toEqual({ postId: aUuid, threadId: 'busy', position: aPosition });
    }

    const last = replies
      .map((r) => BigInt(String(r.body.position)))
      .reduce((a, b) => (a > b ? a : b));
    const posts = postsOf(await logThrough(last), 'busy');
    expect(posts).toHaveLength(300);
    expect(new Set(posts.map(({ data }) => data.postId))).toEqual(new Set(postIds));
    const byId = new Map(posts.map((p) => [p.data.postId, p]));
    replies.forEach((r, i) => {
      const found = byId.get(String(r.body.postId));
      expect(found?.event.streamId).toBe(`post-${String(r.body.postId)}`);
      expect(found?.event.revision).toBe(0);
      expect(found?.event.position.toString()).toBe(r.body.position);
      expect(found?.data).toMatchObject({ authorId: `author-${i}`, body: `post number ${i}` });
      expect(found?.data.createdAt).toBe(found?.event.metadata.time);
    });
  });

  it('a post to an unknown thread → 404 thread_not_found and nothing appended', async () => {
    const before = await eventCount();
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        post('/threads/nowhere/posts', { authorId: `a${i}`, body: 'hello?' }),
      ),
    );
    expect(countBy(replies, (r) => r.status)).toEqual({ 404: 20 });
    for (const r of replies)
      expect(r.body).toMatchObject({ error: 'thread_not_found', threadId: 'nowhere' });
    expect(await eventCount()).toBe(before);
    expect(await app.store.readStream('thread-nowhere')).toEqual([]);
  });

  it('when 50 requests start the same threadId at once → exactly one 201, 49 thread_exists, one ThreadStarted', async () => {
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        post('/threads', { threadId: 'contested', title: `title ${i}` }),
      ),
    );
    expect(countBy(replies, (r) => r.status)).toEqual({ 201: 1, 409: 49 });
    for (const r of replies.filter((x) => x.status === 409)) {
      expect(r.body).toMatchObject({ error: 'thread_exists', threadId: 'contested' });
    }
    const winner = replies.find((r) => r.status === 201);
    const events = await app.store.readStream('thread-contested');
    expect(events.map((e) => e.type)).toEqual(['ThreadStarted']);
    expect(events[0]?.data).toMatchObject({ threadId: 'contested', title: winner?.body.title });
    expect(events[0]?.position.toString()).toBe(winner?.body.position);
  });

  it('a thread started without threadId gets a server-generated UUID', async () => {
    const reply = await post('/threads', { title: 'Anonymous' });
    expect(reply).toMatchObject({ status: 201, body: { threadId: aUuid, revision: 0 } });
    const id = String(reply.body.threadId);
    expect(await app.store.readStream(`thread-${id}`)).toHaveLength(1);
    expect((await post(`/threads/${id}/posts`, { authorId: 'u1', body: 'x' })).status).toBe(201);
  });

  it('50 concurrent retries of one post with one Idempotency-Key → one PostCreated, one postId, 49 replays', async () => {
    await post('/threads', { threadId: 'retried', title: 'Retries' });
    const key = { 'Idempotency-Key': 'post-once-1' };
    const replies = await Promise.all(
      Array.from({ length: 50 }, () =>
        post('/threads/retried/posts', { authorId: 'u1', body: 'once' }, key),
      ),
    );
    expect(countBy(replies, (r) => r.status)).toEqual({ 201: 50 });
    expect(new Set(replies.map((r) => r.body.postId)).size).toBe(1);
    expect(replies.filter((r) => r.headers.get('idempotency-replayed') === 'true')).toHaveLength(
      49,
    );
    const posts = postsOf(await logThrough(BigInt(String(replies[0]?.body.position))), 'retried');
    expect(posts.map(({ data }) => data.postId)).toEqual([replies[0]?.body.postId]);
  });

  it('a body of exactly 10,000 characters is a post; 10,001 is refused', async () => {
    await post('/threads', { threadId: 'long', title: 'Long posts' });
    const longest = await post('/threads/long/posts', { authorId: 'u1', body: 'b'.repeat(10_000) });
    expect(longest.status).toBe(201);
    const tooLong = await post('/threads/long/posts', { authorId: 'u1', body: 'b'.repeat(10_001) });
    expect(tooLong).toMatchObject({
      status: 400,
      body: { error: 'validation_failed', details: [{ field: 'body' }] },
    });
  });

  it.each([
    ['an empty title', '/threads', { title: '' }, 'title'],
    ['a title of 201 characters', '/threads', { title: 't'.repeat(201) }, 'title'],
    ['a numeric title', '/threads', { title: 42 }, 'title'],
    ['a NUL in the title', '/threads', { title: 'a\u0000b' }, 'title'],
    ['a null threadId', '/threads', { title: 'x', threadId: null }, 'threadId'],
    ['a threadId with a slash', '/threads', { title: 'x', threadId: '../etc' }, 'threadId'],
    ['an unknown field', '/threads', { title: 'x', admin: true }, 'admin'],
    ['an array body', '/threads', [{ title: 'x' }], 'body'],
    ['a null body', '/threads', 'null', 'body'],
    ['a missing authorId', '/threads/busy/posts', { body: 'x' }, 'authorId'],
    [
      'an injection as authorId',
      '/threads/busy/posts',
      { authorId: "x'; DROP TABLE tally_events;--", body: 'x' },
      'authorId',
    ],
    ['an empty post body', '/threads/busy/posts', { authorId: 'u1', body: '' }, 'body'],
    ['a NUL in the post body', '/threads/busy/posts', { authorId: 'u1', body: 'a\u0000' }, 'body'],
    [
      'a lone surrogate in the post body',
      '/threads/busy/posts',
      { authorId: 'u1', body: 'a\ud800' },
      'body',
    ],
    ['an object as post body', '/threads/busy/posts', { authorId: 'u1', body: { $ne: 1 } }, 'body'],
    [
      'a threadId of 65 characters in the path',
      `/threads/${'t'.repeat(65)}/posts`,
      { authorId: 'u1', body: 'x' },
      'threadId',
    ],
  ])(
    '%s → 400 validation_failed naming the field, nothing appended',
    async (_name, path, body, field) => {
      const before = await eventCount();
      const reply = await post(path, body);
      expect(reply).toMatchObject({ status: 400, body: { error: 'validation_failed' } });
      expect(reply.body.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ field })]),
      );
      expect(await eventCount()).toBe(before);
    },
  );
});
