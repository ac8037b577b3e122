import { decideUsername, initialUsernameState, usernameStreamId } from '../../libs/domain/src';
import { WrongExpectedRevision } from '../../libs/event-store/src';
import { usersProjection } from '../../projections/users';
import { useProjectionDatabase } from '../support/projection-harness';

const at = '2026-11-22T12:00:00.000Z';

/** Flips the case of every other letter: `alice_7` → `aLiCe_7`. */
const mixCase = (name: string, salt: number): string =>
  [...name].map((c, i) => ((i + salt) % 2 ? c.toUpperCase() : c)).join('');

describe('users projection on real PostgreSQL', () => {
  const harness = useProjectionDatabase([usersProjection]);

  /** Claims like the API: a name's stream in every letter case, appended with `no_stream`. */
  async function claim(userId: string, username: string): Promise<boolean> {
    const decision = decideUsername(
      { type: 'ClaimUsername', data: { userId, username, at } },
      initialUsernameState,
    );
    if (!decision.ok) return false;
    try {
      await harness.append(usernameStreamId(username), decision.events, 'no_stream');
      return true;
    } catch (error) {
      if (error instanceof WrongExpectedRevision) return false;
      throw error;
    }
  }

  it('projects 300 claims and 20 contested names exactly, found in any letter case', async () => {
    const expected = new Map<string, { username: string; userId: string }>();
    const claims: Promise<void>[] = [];
    for (let i = 0; i < 300; i++) {
      const username = mixCase(`user_${i}`, i);
      claims.push(
        claim(`u${i}`, username).then((ok) => {
          if (!ok) throw new Error(`an uncontested claim of ${username} failed`);
          expected.set(username.toLowerCase(), { username, userId: `u${i}` });
        }),
      );
    }
    // Five users race for each of 20 names, each in a letter case of their own.
    for (let n = 0; n < 20; n++) {
      for (let k = 0; k < 5; k++) {
        const name = `taken.${n}`;
        const username = name.slice(0, k) + name.charAt(k).toUpperCase() + name.slice(k + 1);
        claims.push(
          claim(`r${n}-${k}`, username).then((ok) => {
            if (!ok) return;
            if (expected.has(username.toLowerCase())) throw new Error('two winners');
            expected.set(username.toLowerCase(), { username, userId: `r${n}-${k}` });
          }),
        );
      }
    }
    await Promise.all(claims);
    expect(expected.size).toBe(320);
    await harness.project({ batchSize: 50 });

    const { rows } = await harness.pool.query<{
      normalized: string;
      username: string;
      user_id: string;
    }>('SELECT normalized, username, user_id FROM proj_users ORDER BY normalized');
    expect(rows).toEqual(
      [...expected]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([normalized, u]) => ({ normalized, username: u.username, user_id: u.userId })),
    );
    const lookup = async (name: string) =>
      (
        await harness.pool.query<{ user_id: string; username: string }>(
          `SELECT user_id, username FROM proj_users WHERE normalized = lower($1)`,
          [name],
        )
      ).rows;
    expect(await lookup('USER_7')).toEqual([
      { user_id: 'u7', username: expected.get('user_7')?.username },
    ]);
    expect(await lookup('taken.3')).toEqual([
      { user_id: expected.get('taken.3')?.userId, username: expected.get('taken.3')?.username },
    ]);
    expect(await lookup('nobody')).toEqual([]);
  });
});
