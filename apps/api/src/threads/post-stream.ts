import type { StreamDecider } from '@tally/commands';
import {
  decidePost,
  foldState,
  postDecider,
  threadStreamId,
  type PostCommand,
  type PostError,
  type PostEvent,
  type ThreadEvent,
  type ThreadStarted,
  type ThreadState,
} from '@tally/domain';
import type { EventStore, RecordedEvent } from '@tally/event-store';

/**
 * The post stream only records that the post exists; with a fresh UUID per post it is
 * always new, so the pipeline appends it with `no_stream`. The post is decided against
 * its thread, loaded as context.
 */
export const postStream: StreamDecider<PostCommand, boolean, PostEvent, PostError, ThreadState> = {
  initialState: false,
  evolve: () => true,
  decide: (command, _post, thread) => decidePost(command, thread),
};

const isThreadEvent = (
  event: RecordedEvent,
): event is RecordedEvent<'ThreadStarted', ThreadStarted['data']> => event.type === 'ThreadStarted';

/** The thread's state as its stream holds it now (a thread stream is one ThreadStarted). */
export async function loadThreadState(
  store: Pick<EventStore, 'readStream'>,
  threadId: string,
): Promise<ThreadState> {
  const events = await store.readStream(threadStreamId(threadId));
  return foldState<ThreadState, ThreadEvent>(postDecider, events.filter(isThreadEvent));
}
