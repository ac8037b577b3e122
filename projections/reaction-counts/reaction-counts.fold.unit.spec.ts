import type { ReactionEvent } from '@tally/domain';
import type { RecordedEvent } from '@tally/event-store';
import { foldReactionCounts } from './reaction-counts.fold';

let position = 0n;
const toggled = (postId: string, type: string, userId: string, active: boolean): RecordedEvent => {
  const event: ReactionEvent = {
    type: 'ReactionToggled',
    data: { postId, type, userId, active, at: '2026-11-22T12:00:00.000Z' },
  };
  position += 1n;
  return {
    ...event,
    id: `e${position}`,
    metadata: {},
    streamId: `reaction-${postId}|${type}|${userId}`,
    revision: 0,
    position,
    recordedAt: new Date(),
  };
};

describe('foldReactionCounts', () => {
  it('nets +1 per activation and -1 per deactivation, per post and type', () => {
    const counts = foldReactionCounts([
      toggled('p1', 'like', 'u1', true),
      toggled('p1', 'like', 'u2', true),
      toggled('p1', 'like', 'u1', false),
      toggled('p1', 'like', 'u3', true),
      toggled('p1', 'heart', 'u1', true),
      toggled('p2', 'like', 'u1', false),
    ]);
    expect(counts).toEqual([
      { postId: 'p1', type: 'like', n: 2 },
      { postId: 'p1', type: 'heart', n: 1 },
      { postId: 'p2', type: 'like', n: -1 },
    ]);
  });

  it('leaves out pairs whose changes cancel, and events of other types', () => {
    const other = { ...toggled('p9', 'like', 'u1', true), type: 'Voted' };
    const counts = foldReactionCounts([
      toggled('p1', 'like', 'u1', true),
      toggled('p1', 'like', 'u1', false),
      other,
    ]);
    expect(counts).toEqual([]);
  });

  it('keeps post ids and types apart even when their concatenations collide', () => {
    const counts = foldReactionCounts([
      toggled('a', 'bc', 'u1', true),
      toggled('ab', 'c', 'u1', true),
    ]);
    expect(counts).toHaveLength(2);
  });
});
