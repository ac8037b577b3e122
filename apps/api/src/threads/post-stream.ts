import type { ContextStream, StreamDecider } from '@tally/commands';
import {
  decidePost,
  threadDecider,
  threadStreamId,
  type PostCommand,
  type PostError,
  type PostEvent,
  type ThreadEvent,
  type ThreadState,
} from '@tally/domain';

/**
 * The post stream only records that the post exists; with a fresh UUID per post it is
 * always new, so the pipeline appends it with `no_stream`. The post is decided against
 * its thread (`threadContext`) and appended on condition that the thread did not change.
 */
export const postStream: StreamDecider<PostCommand, boolean, PostEvent, PostError, ThreadState> = {
  initialState: false,
  evolve: () => true,
  decide: (command, _post, thread) => decidePost(command, thread),
};

/** The thread a post is decided against, folded as the thread's own commands fold it. */
export const threadContext = (threadId: string): ContextStream<ThreadState, ThreadEvent> => ({
  streamId: threadStreamId(threadId),
  initialState: threadDecider.initialState,
  evolve: threadDecider.evolve,
});
