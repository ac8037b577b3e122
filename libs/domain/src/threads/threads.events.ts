import type { DomainEvent, Timestamp } from '../shared';

export type ThreadStarted = DomainEvent<
  'ThreadStarted',
  { threadId: string; title: string; startedAt: Timestamp }
>;

/** Events of the `thread-{threadId}` stream. */
export type ThreadEvent = ThreadStarted;

/** Carries `threadId` so the thread's post count never needs the post stream. */
export type PostCreated = DomainEvent<
  'PostCreated',
  { postId: string; threadId: string; authorId: string; body: string; createdAt: Timestamp }
>;

/** Events of the `post-{postId}` stream. */
export type PostEvent = PostCreated;
