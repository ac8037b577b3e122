import { checkedId, streamId } from '../shared';

export const pollStreamId = (pollId: string): string =>
  streamId('poll', checkedId('pollId', pollId));

/** One stream per voter per poll, so voters never contend with each other. */
export const ballotStreamId = (pollId: string, voterId: string): string =>
  streamId('ballot', checkedId('pollId', pollId), checkedId('voterId', voterId));
