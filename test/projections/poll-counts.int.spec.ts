import type { NewEvent } from '../../libs/event-store/src';
import { pollCountsProjection } from '../../projections/poll-counts';
import { useProjectionDatabase } from '../support/projection-harness';
import { pollOpened } from '../support/poll-events';

const at = '2026-11-22T12:00:00.000Z';

describe('poll-counts projection on real PostgreSQL', () => {
  const harness = useProjectionDatabase([pollCountsProjection]);

  /** 600 voters; a third change their vote, a sixth retract: the expected counts by construction. */
  async function castVotes(): Promise<{ a: number; b: number; total: number }> {
    await harness.append('poll-p1', [pollOpened('p1', 'Lunch')], 'no_stream');
    const expected = { a: 0, b: 0, total: 0 };
    await Promise.all(
      Array.from({ length: 600 }, async (_, i) => {
        const stream = `ballot-p1|v${i}`;
        const first = i % 2 ? 'a' : 'b';
        const events: NewEvent[] = [
          {
            type: 'Voted',
            data: {
              pollId: 'p1',
              voterId: `v${i}`,
              optionId: first,
              previousOptionId: null,
              votedAt: at,
            },
          },
        ];
        let final: string | null = first;
        if (i % 3 === 0) {
          const other = first === 'a' ? 'b' : 'a';
          events.push({
            type: 'Voted',
            data: {
              pollId: 'p1',
              voterId: `v${i}`,
              optionId: other,
              previousOptionId: first,
              votedAt: at,
            },
          });
          final = other;
        }
        if (i % 6 === 1) {
          events.push({
            type: 'VoteRetracted',
            data: { pollId: 'p1', voterId: `v${i}`, optionId: final, retractedAt: at },
          });
          final = null;
        }
        for (const event of events) await harness.append(stream, [event], 'any');
        if (final === 'a') expected.a++;
        if (final === 'b') expected.b++;
        if (final !== null) expected.total++;
      }),
    );
    return expected;
  }

  const counts = async () => {
    const { rows } = await harness.pool.query<{
      option_id: string;
      votes: string;
      total_votes: string;
      title: string;
    }>(
      `SELECT o.option_id, o.votes, p.total_votes, p.title FROM proj_poll_options o JOIN proj_polls p USING (poll_id)
        WHERE poll_id = 'p1' ORDER BY o.ord`,
    );
    return rows;
  };

  it('folds changed and retracted votes exactly, and two projectors racing never count twice', async () => {
    const expected = await castVotes();
    // Up to our own last write, not the visible head: the head also waits on other databases' transactions.
    await harness.project({ batchSize: 100, timeoutMs: 30_000 });
    const rows = await counts();
    expect(rows.map((r) => [r.option_id, Number(r.votes)])).toEqual([
      ['a', expected.a],
      ['b', expected.b],
    ]);
    expect(Number(rows[0]?.total_votes)).toBe(expected.total);
    expect(rows[0]?.title).toBe('Lunch');
  });
});
