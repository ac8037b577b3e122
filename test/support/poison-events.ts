import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { pollCountsProjection } from '../../projections/poll-counts';
import type { Projection } from '../../libs/projections/src';
import { TEST_TIME } from './poll-events';

/**
 * Appends one event through the store's own SQL function, with no check of its data: as an
 * older writer, a script or a bug would. Returns its position.
 */
export async function appendUnchecked(
  pool: Pool,
  streamId: string,
  type: string,
  data: unknown,
): Promise<bigint> {
  const events = JSON.stringify([{ id: randomUUID(), type, data, metadata: {} }]);
  const { rows } = await pool.query<{ o_position: string }>(
    'SELECT o_position FROM tally_append($1, -2, $2::jsonb)',
    [streamId, events],
  );
  return BigInt(rows[0]!.o_position);
}

export const vote = (
  pollId: string,
  voterId: string,
  optionId: string,
): Record<string, unknown> => ({
  pollId,
  voterId,
  optionId,
  previousOptionId: null,
  votedAt: TEST_TIME,
});

/** The voter whose votes the "bomb" fold refuses. */
export const BOMB_VOTER = 'bomb';

/**
 * poll-counts whose fold throws on any batch holding a well-formed vote by BOMB_VOTER while
 * `control.armed`: a fold bug that only some events trigger.
 */
export function bombedPollCounts(control: { armed: boolean }): Projection {
  return {
    ...pollCountsProjection,
    apply(db, events, tables) {
      const bomb = events.some(
        (e) =>
          e.type === 'Voted' && (e.data as { voterId?: unknown } | null)?.voterId === BOMB_VOTER,
      );
      if (control.armed && bomb) throw new TypeError('cannot fold a vote by bomb');
      return pollCountsProjection.apply(db, events, tables);
    },
  };
}

/**
 * Appends, between good votes, one vote missing its option, one with null data, one with an
 * option of the wrong type, and one the bombed fold refuses. Returns the positions of the bad
 * ones by kind, and the good votes per option.
 */
export async function appendPoisonedPoll(
  pool: Pool,
  pollId: string,
): Promise<{
  bad: Record<'missing' | 'nullData' | 'wrongType' | 'bomb', bigint>;
  a: number;
  b: number;
}> {
  const options = [
    { optionId: 'a', text: 'A' },
    { optionId: 'b', text: 'B' },
  ];
  await appendUnchecked(pool, `poll-${pollId}`, 'PollOpened', {
    pollId,
    title: 'Poisoned',
    options,
    openedAt: TEST_TIME,
  });
  const good = async (n: number, option: 'a' | 'b'): Promise<void> => {
    for (let i = 0; i < n; i++) {
      const voter = `${option}${i}-${Math.random().toString(36).slice(2, 8)}`;
      await appendUnchecked(
        pool,
        `ballot-${pollId}|${voter}`,
        'Voted',
        vote(pollId, voter, option),
      );
    }
  };
  await good(3, 'a');
  const noOption = vote(pollId, 'v-missing', 'a');
  delete noOption.optionId;
  const missing = await appendUnchecked(pool, `ballot-${pollId}|v-missing`, 'Voted', noOption);
  await good(2, 'b');
  const nullData = await appendUnchecked(pool, `ballot-${pollId}|v-null`, 'Voted', null);
  await good(2, 'a');
  const wrongType = await appendUnchecked(pool, `ballot-${pollId}|v-wrong`, 'Voted', {
    ...vote(pollId, 'v-wrong', 'a'),
    optionId: 42,
  });
  const bomb = await appendUnchecked(
    pool,
    `ballot-${pollId}|${BOMB_VOTER}`,
    'Voted',
    vote(pollId, BOMB_VOTER, 'b'),
  );
  await good(1, 'b');
  return { bad: { missing, nullData, wrongType, bomb }, a: 5, b: 3 };
}
