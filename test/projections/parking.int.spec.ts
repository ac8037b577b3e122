import type { Pool } from 'pg';
import {
  Projector,
  discardParked,
  listParked,
  readCheckpoints,
  retryParked,
} from '../../libs/projections/src';
import { readProjectionStatus } from '../../libs/ops/src';
import { pollCountsProjection } from '../../projections/poll-counts';
import { appendPoisonedPoll, bombedPollCounts } from '../support/poison-events';
import { until, useProjectionDatabase } from '../support/projection-harness';

/** Votes per option of a poll, as the read model holds them (missing options left out). */
async function votes(pool: Pool, pollId: string): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ option_id: string; votes: string }>(
    'SELECT option_id, votes FROM proj_poll_options WHERE poll_id = $1 ORDER BY option_id',
    [pollId],
  );
  return Object.fromEntries(rows.map((r) => [r.option_id, Number(r.votes)]));
}

describe('parking poison events (log mode)', () => {
  const h = useProjectionDatabase([pollCountsProjection]);

  /** Projects with the bombed fold until the checkpoint passes everything appended. */
  async function projectPoisoned(batchSize: number, control: { armed: boolean }) {
    const appended = await appendPoisonedPoll(h.pool, 'p1');
    const head = await h.store.headPosition();
    const parkedSeen: bigint[] = [];
    const projector = new Projector({
      pool: h.pool,
      store: h.store,
      projections: [bombedPollCounts(control)],
      batchSize,
      onParked: (_name, parked) => parkedSeen.push(...parked.map((p) => p.event.position)),
    });
    await projector.start();
    try {
      await until(
        async () =>
          ((await readCheckpoints(h.pool, ['poll-counts'])).get('poll-counts') ?? 0n) >= head,
        'the checkpoint to pass the poison',
        { timeoutMs: 20_000 },
      );
    } finally {
      await projector.stop();
    }
    return { ...appended, parkedSeen };
  }

  it.each([
    ['one batch', 1000],
    ['one event per batch', 1],
  ])(
    'counts the good votes exactly and parks the bad ones, staying live (%s)',
    async (_label, batchSize) => {
      const { bad, a, b, parkedSeen } = await projectPoisoned(batchSize, { armed: true });
      expect(await votes(h.pool, 'p1')).toEqual({ a, b });
      const parked = await listParked(h.pool, 'poll-counts');
      expect(parked.map((p) => BigInt(p.position))).toEqual(
        [bad.missing, bad.nullData, bad.wrongType, bad.bomb].sort((x, y) => (x < y ? -1 : 1)),
      );
      expect([...parkedSeen].sort()).toEqual(parked.map((p) => BigInt(p.position)).sort());
      const byPosition = new Map(parked.map((p) => [BigInt(p.position), p]));
      expect(byPosition.get(bad.missing)).toMatchObject({
        type: 'Voted',
        streamId: 'ballot-p1|v-missing',
        revision: 0,
        attempts: 1,
        error: 'malformed Voted: data.optionId must be a non-empty string',
      });
      expect(byPosition.get(bad.nullData)?.error).toBe('malformed Voted: data must be an object');
      expect(byPosition.get(bad.wrongType)?.error).toBe(
        'malformed Voted: data.optionId must be a non-empty string',
      );
      expect(byPosition.get(bad.bomb)?.error).toBe('fold failed: cannot fold a vote by bomb');
      const [status] = await readProjectionStatus(h.pool, h.store, [pollCountsProjection]);
      expect(status).toMatchObject({
        status: 'live',
        lagEvents: 0,
        parkedEvents: 4,
        parkedEventsTotal: 4,
      });
    },
  );

  it('a retry folds what was repaired and keeps what still fails; a discard clears', async () => {
    const control = { armed: true };
    const { bad, a, b } = await projectPoisoned(1000, control);
    // The operator repairs the vote that lost its option, in the log itself.
    await h.pool.query(
      `UPDATE tally_events SET data = data || '{"optionId":"a"}' WHERE position = $1`,
      [bad.missing.toString()],
    );
    const one = await retryParked({
      pool: h.pool,
      store: h.store,
      projection: bombedPollCounts(control),
      position: bad.missing,
    });
    expect(one).toEqual({ folded: [bad.missing.toString()], stillParked: [] });
    expect(await votes(h.pool, 'p1')).toEqual({ a: a + 1, b });

    // Retrying all: the fold still throws on the bomb, the others are still malformed.
    const all = await retryParked({
      pool: h.pool,
      store: h.store,
      projection: bombedPollCounts(control),
    });
    expect(all.folded).toEqual([]);
    expect(all.stillParked.map((p) => p.attempts)).toEqual([2, 2, 2]);
    expect(await votes(h.pool, 'p1')).toEqual({ a: a + 1, b });

    // The fold is fixed: the bomb's vote now counts, once.
    control.armed = false;
    const fixed = await retryParked({
      pool: h.pool,
      store: h.store,
      projection: bombedPollCounts(control),
      position: bad.bomb,
    });
    expect(fixed.folded).toEqual([bad.bomb.toString()]);
    expect(await votes(h.pool, 'p1')).toEqual({ a: a + 1, b: b + 1 });

    expect(
      await discardParked(h.pool, { projection: 'poll-counts', position: bad.nullData }),
    ).toEqual([bad.nullData.toString()]);
    expect(await discardParked(h.pool, { projection: 'poll-counts' })).toEqual([
      bad.wrongType.toString(),
    ]);
    expect(await listParked(h.pool)).toEqual([]);
    const [status] = await readProjectionStatus(h.pool, h.store, [pollCountsProjection]);
    expect(status).toMatchObject({ status: 'live', parkedEvents: 0, parkedEventsTotal: 4 });
  });
});
