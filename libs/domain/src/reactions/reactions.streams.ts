import { REACTION_TYPE_PATTERN, checkedId, streamId } from '../shared';

export const reactionStreamId = (postId: string, type: string, userId: string): string =>
  streamId(
    'reaction',
    checkedId('postId', postId),
    checkedId('type', type, REACTION_TYPE_PATTERN),
    checkedId('userId', userId),
  );
