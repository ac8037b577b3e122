import { specification } from '../shared/specification.spec';
import type { UsernameClaimed } from './usernames.events';
import { usernameDecider } from './usernames.decider';
import { USERNAME_PATTERN, normalizeUsername, usernameStreamId } from './usernames.streams';

const at = '2025-03-01T10:00:00.000Z';
const claimed: UsernameClaimed = {
  type: 'UsernameClaimed',
  data: { userId: 'u-1', username: 'Ada.Lovelace', normalized: 'ada.lovelace', claimedAt: at },
};
const claim = (userId: string, username: string) =>
  ({ type: 'ClaimUsername', data: { userId, username, at } }) as const;

const spec = specification(usernameDecider);

describe('claiming a username', () => {
  it('when the name is free → claims it, keeping the case and the normalized form', () => {
    spec.given([]).when(claim('u-1', 'Ada.Lovelace')).then([claimed]);
  });

  it('when the name is taken → refuses with username_taken', () => {
    spec
      .given([claimed])
      .when(claim('u-2', 'Ada.Lovelace'))
      .thenRejects({ code: 'username_taken', username: 'Ada.Lovelace' });
  });

  it('when the name is taken in another letter case → still refuses with username_taken', () => {
    spec.given([claimed]).when(claim('u-2', 'ADA.LOVELACE')).thenRejects('username_taken');
  });
});

describe('username streams', () => {
  it('map every letter case of a name to the same stream', () => {
    expect(usernameStreamId('Ada.Lovelace')).toBe('username-ada.lovelace');
    expect(usernameStreamId('ADA.lovelace')).toBe(usernameStreamId('ada.LOVELACE'));
    expect(normalizeUsername('Mixed_Case-1')).toBe('mixed_case-1');
  });

  it('accept 3 to 32 of letters, digits, _ . - and nothing else', () => {
    const isValid = (username: string) => USERNAME_PATTERN.test(username);
    expect(['abc', 'a_b.c-d', 'x'.repeat(32)].map(isValid)).toEqual([true, true, true]);
    expect(['ab', 'x'.repeat(33), 'a b', 'a:b', 'ä-ö'].map(isValid)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
