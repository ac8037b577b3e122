import type { Decider, Decision, DomainErrorOf } from '../shared';
import { accept, assertNever, reject } from '../shared';
import type { PostCommand, ThreadCommand } from './threads.commands';
import type { PostEvent, ThreadEvent } from './threads.events';

export type ThreadState =
  { status: 'none' } | { status: 'started'; threadId: string; title: string };

export type ThreadError = DomainErrorOf<'thread_exists'>;
export type PostError = DomainErrorOf<'thread_not_found'>;

export const initialThreadState: ThreadState = Object.freeze({ status: 'none' });

export function evolveThread(_state: ThreadState, event: ThreadEvent): ThreadState {
  switch (event.type) {
    case 'ThreadStarted':
      return { status: 'started', threadId: event.data.threadId, title: event.data.title };
    default:
      return assertNever(event.type);
  }
}

export function decideThread(
  command: ThreadCommand,
  state: ThreadState,
): Decision<ThreadEvent, ThreadError> {
  switch (command.type) {
    case 'StartThread': {
      const { threadId, title, at } = command.data;
      if (state.status !== 'none') return reject({ code: 'thread_exists', threadId });
      return accept({ type: 'ThreadStarted', data: { threadId, title, startedAt: at } });
    }
    default:
      return assertNever(command.type);
  }
}

/**
 * A post is decided against its thread's state only: the post stream is new (appended
 * with `no_stream`), and counts live in projections, not in the thread.
 */
export function decidePost(
  command: PostCommand,
  thread: ThreadState,
): Decision<PostEvent, PostError> {
  switch (command.type) {
    case 'CreatePost': {
      const { postId, threadId, authorId, body, at } = command.data;
      if (thread.status === 'none') return reject({ code: 'thread_not_found', threadId });
      return accept({
        type: 'PostCreated',
        data: { postId, threadId, authorId, body, createdAt: at },
      });
    }
    default:
      return assertNever(command.type);
  }
}

export const threadDecider: Decider<ThreadCommand, ThreadEvent, ThreadState, ThreadError> = {
  decide: decideThread,
  evolve: evolveThread,
  initialState: initialThreadState,
};

/** Load with `foldState(postDecider, threadEvents)`. */
export const postDecider: Decider<PostCommand, PostEvent, ThreadState, PostError, ThreadEvent> = {
  decide: decidePost,
  evolve: evolveThread,
  initialState: initialThreadState,
};
