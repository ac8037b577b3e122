import { checkedId, streamId } from '../shared';

export const threadStreamId = (threadId: string): string =>
  streamId('thread', checkedId('threadId', threadId));

/** A stream per post, so concurrent posts to one thread never contend. */
export const postStreamId = (postId: string): string =>
  streamId('post', checkedId('postId', postId));
