import { specification } from '../shared/specification.spec';
import type { PostCreated, ThreadStarted } from './threads.events';
import { postDecider, threadDecider } from './threads.decider';
import { postStreamId, threadStreamId } from './threads.streams';

const at = '2025-03-01T10:00:00.000Z';
const started: ThreadStarted = {
  type: 'ThreadStarted',
  data: { threadId: 't-1', title: 'Welcome', startedAt: at },
};
const post = {
  type: 'CreatePost',
  data: { postId: 'post-9', threadId: 't-1', authorId: 'u-1', body: 'Hi all', at },
} as const;
const created: PostCreated = {
  type: 'PostCreated',
  data: { postId: 'post-9', threadId: 't-1', authorId: 'u-1', body: 'Hi all', createdAt: at },
};

describe('starting a thread', () => {
  const spec = specification(threadDecider);

  it('when the thread is new → starts it', () => {
    spec
      .given([])
      .when({ type: 'StartThread', data: { threadId: 't-1', title: 'Welcome', at } })
      .then([started]);
  });

  it('when the thread id is already taken → refuses with thread_exists', () => {
    spec
      .given([started])
      .when({ type: 'StartThread', data: { threadId: 't-1', title: 'Other', at } })
      .thenRejects({ code: 'thread_exists', threadId: 't-1' });
  });
});

describe('posting to a thread', () => {
  const spec = specification(postDecider);

  it('when the thread exists → creates the post, naming its thread', () => {
    spec.given([started]).when(post).then([created]);
  });

  it('when the thread does not exist → refuses with thread_not_found', () => {
    spec.given([]).when(post).thenRejects({ code: 'thread_not_found', threadId: 't-1' });
  });
});

describe('thread stream ids', () => {
  it('give each thread and each post its own stream', () => {
    expect(threadStreamId('t-1')).toBe('thread-t-1');
    expect(postStreamId('p.1')).toBe('post-p.1');
  });
});
