import type { PostEvent, ThreadEvent } from '@tally/domain';
import type { RecordedEvent } from '@tally/event-store';
import { foldThreadStats } from './thread-stats.fold';

let position = 0n;
const record = (event: ThreadEvent | PostEvent): RecordedEvent => {
  position += 1n;
  return {
    ...event,
    id: `e${position}`,
    metadata: {},
    streamId: 'x',
    revision: 0,
    position,
    recordedAt: new Date(),
  };
};
const started = (threadId: string, title: string, startedAt: string): RecordedEvent =>
  record({ type: 'ThreadStarted', data: { threadId, title, startedAt } });
const post = (postId: string, threadId: string, createdAt: string): RecordedEvent =>
  record({
    type: 'PostCreated',
    data: { postId, threadId, authorId: 'a1', body: 'hi', createdAt },
  });

describe('foldThreadStats', () => {
  it('counts posts per thread and keeps the latest activity whatever the order', () => {
    const threads = foldThreadStats([
      started('t1', 'Hello', '2026-11-22T12:00:00.000Z'),
      post('p1', 't1', '2026-11-22T12:05:00.000Z'),
      post('p2', 't1', '2026-11-22T12:01:00.000Z'),
      post('p3', 't2', '2026-11-22T13:00:00.000Z'),
    ]);
    expect(threads).toEqual([
      { threadId: 't1', title: 'Hello', posts: 2, lastActivityAt: '2026-11-22T12:05:00.000Z' },
      { threadId: 't2', title: null, posts: 1, lastActivityAt: '2026-11-22T13:00:00.000Z' },
    ]);
  });

  it('takes the start as last activity when it is later than the posts (and after them)', () => {
    const [thread] = foldThreadStats([
      post('p1', 't1', '2026-11-22T11:00:00.000Z'),
      started('t1', 'Late', '2026-11-22T12:00:00.000Z'),
    ]);
    expect(thread).toEqual({
      threadId: 't1',
      title: 'Late',
      posts: 1,
      lastActivityAt: '2026-11-22T12:00:00.000Z',
    });
  });

  it('compares instants, not strings, and writes them in UTC', () => {
    const [thread] = foldThreadStats([
      post('p1', 't1', '2026-11-22T12:30:00.000Z'),
      post('p2', 't1', '2026-11-22T13:00:00.000+01:00'),
      post('p3', 't1', '2026-11-22T11:00:00.000-02:00'),
    ]);
    expect(thread?.lastActivityAt).toBe('2026-11-22T13:00:00.000Z');
  });

  it('ignores an unparseable timestamp rather than failing the batch', () => {
    const [thread] = foldThreadStats([
      post('p1', 't1', 'not a date'),
      post('p2', 't1', '2026-11-22T12:00:00.000Z'),
    ]);
    expect(thread).toMatchObject({ posts: 2, lastActivityAt: '2026-11-22T12:00:00.000Z' });
    expect(foldThreadStats([post('p3', 't3', 'garbage')])[0]?.lastActivityAt).toBeNull();
  });
});
