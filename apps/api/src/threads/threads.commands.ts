import type { CommandSpec, StreamModel } from '@tally/commands';
import {
  decidePost,
  decideThread,
  foldState,
  postDecider,
  postStreamId,
  threadDecider,
  threadStreamId,
  type PostCommand,
  type PostError,
  type PostEvent,
  type ThreadCommand,
  type ThreadError,
  type ThreadEvent,
  type ThreadStarted,
  type ThreadState,
} from '@tally/domain';
import type { EventStore, RecordedEvent } from '@tally/event-store';
import type { CommandContext } from '../shared/command-context';
import { domainRejection } from '../shared/domain-rejection';

export type { CommandContext };

type ThreadSpec = CommandSpec<ThreadState, ThreadEvent, ThreadError>;
/** A post is decided against its thread, loaded as the command's context. */
type PostSpec = CommandSpec<boolean, PostEvent, PostError, ThreadState>;

export interface StartThreadInput {
  threadId: string;
  title: string;
}

export interface CreatePostInput {
  postId: string;
  threadId: string;
  authorId: string;
  body: string;
}

/**
 * The post stream only records that the post exists; with a fresh UUID per post it is
 * always new, so the pipeline appends it with `no_stream`.
 */
const postStream: StreamModel<boolean, PostEvent> = { initialState: false, evolve: () => true };

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

export function startThread(input: StartThreadInput, context: CommandContext): ThreadSpec {
  const command: ThreadCommand = {
    type: 'StartThread',
    data: { ...input, at: context.metadata.time },
  };
  return {
    name: 'start-thread',
    streamId: threadStreamId(input.threadId),
    model: threadDecider,
    decide: (state) => decideThread(command, state),
    accepted: ({ revision, position }) => ({
      status: 201,
      body: {
        threadId: input.threadId,
        title: input.title,
        revision,
        position: position.toString(),
      },
    }),
    rejected: domainRejection,
    metadata: context.metadata,
    idempotency: context.idempotency,
  };
}

export function createPost(
  input: CreatePostInput,
  context: CommandContext,
  loadThread: () => Promise<ThreadState>,
): PostSpec {
  const command: PostCommand = {
    type: 'CreatePost',
    data: { ...input, at: context.metadata.time },
  };
  return {
    name: 'create-post',
    streamId: postStreamId(input.postId),
    model: postStream,
    loadContext: loadThread,
    decide: (_post, thread) => decidePost(command, thread),
    accepted: ({ position }) => ({
      status: 201,
      body: { postId: input.postId, threadId: input.threadId, position: position.toString() },
    }),
    rejected: domainRejection,
    metadata: context.metadata,
    idempotency: context.idempotency,
  };
}
