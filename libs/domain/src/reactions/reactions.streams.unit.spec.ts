import { reactionStreamId } from './reactions.streams';

describe('reaction stream ids', () => {
  it('map every distinct (postId, type, userId) to its own stream', () => {
    const ids = ['a', 'b', '-', 'a-b', 'a.b', 'a:b', '-a', 'b-', 'a.b:c-d'];
    const types = ['like', 'like_2', 'l'];
    const streams = new Set<string>();
    for (const postId of ids) {
      for (const type of types) {
        for (const userId of ids) streams.add(reactionStreamId(postId, type, userId));
      }
    }
    expect(streams.size).toBe(ids.length * types.length * ids.length);
  });

  it('join the parts with | and refuse a type outside the contract', () => {
    expect(reactionStreamId('p-1', 'like', 'u:1')).toBe('reaction-p-1|like|u:1');
    expect(() => reactionStreamId('p-1', 'Like', 'u-1')).toThrow(RangeError);
    expect(() => reactionStreamId('p-1', 'like|x', 'u-1')).toThrow(RangeError);
  });
});
