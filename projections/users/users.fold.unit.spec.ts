import type { UsernameEvent } from '@tally/domain';
import type { RecordedEvent } from '@tally/event-store';
import { foldUsers } from './users.fold';

let position = 0n;
const claimed = (userId: string, username: string): RecordedEvent => {
  const event: UsernameEvent = {
    type: 'UsernameClaimed',
    data: {
      userId,
      username,
      normalized: username.toLowerCase(),
      claimedAt: '2026-11-22T12:00:00.000Z',
    },
  };
  position += 1n;
  return {
    ...event,
    id: `e${position}`,
    metadata: {},
    streamId: `username-${username.toLowerCase()}`,
    revision: 0,
    position,
    recordedAt: new Date(),
  };
};

describe('foldUsers', () => {
  it('keys users by the normalized name and keeps the letter case as claimed', () => {
    expect(foldUsers([claimed('u1', 'Alice'), claimed('u2', 'bob.B')])).toEqual([
      { normalized: 'alice', username: 'Alice', userId: 'u1' },
      { normalized: 'bob.b', username: 'bob.B', userId: 'u2' },
    ]);
  });

  it('keeps the first claim of a name in any letter case, so no key is written twice', () => {
    expect(foldUsers([claimed('u1', 'Alice'), claimed('u2', 'ALICE')])).toEqual([
      { normalized: 'alice', username: 'Alice', userId: 'u1' },
    ]);
  });

  it('ignores other event types', () => {
    expect(foldUsers([{ ...claimed('u1', 'carol'), type: 'Voted' }])).toEqual([]);
  });
});
