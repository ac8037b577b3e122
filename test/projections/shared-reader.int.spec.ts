import type { RecordedEvent } from '../../libs/event-store/src';
import { Projector, readCheckpoints, type Projection } from '../../libs/projections/src';
import { until, useProjectionDatabase } from '../support/projection-harness';

/** Counts the events of one type into a one-row table; fails (transiently) while `failing` says so. */
function counter(
  name: string,
  type: string,
  control: { failing: boolean; applied: number[] },
): Projection<'counts'> {
  return {
    name,
    eventTypes: [type],
    eventProblem: () => undefined,
    tables: { counts: `test_${name.replace(/-/g, '_')}` },
    createTables: (t) => `CREATE TABLE ${t.counts} (id int PRIMARY KEY, n bigint NOT NULL);`,
    async apply(db, events: readonly RecordedEvent[], t) {
      // Not the events' fault (a lock not available): the batch is retried, nothing parked.
      if (control.failing)
        throw Object.assign(new Error(`${name} refuses this batch`), { code: '55P03' });
      control.applied.push(events.length);
      await db.query(
        `INSERT INTO ${t.counts} AS c (id, n) VALUES (1, $1)
         ON CONFLICT (id) DO UPDATE SET n = c.n + EXCLUDED.n`,
        [events.length],
      );
      return [];
    },
  };
}

const a = { failing: false, applied: [] as number[] };
const b = { failing: false, applied: [] as number[] };
const countA = counter('count-a', 'A', a);
const countB = counter('count-b', 'B', b);

describe('projector: one reader for all projections', () => {
  const h = useProjectionDatabase([countA, countB]);

  const count = async (p: Projection<'counts'>): Promise<number> => {
    const { rows } = await h.pool.query<{ n: string }>(`SELECT n FROM ${p.tables.counts}`);
    return Number(rows[0]?.n ?? 0);
  };
  const checkpoint = async (name: string): Promise<bigint> =>
    (await readCheckpoints(h.pool, [name])).get(name) ?? 0n;

  beforeEach(() => {
    for (const c of [a, b]) {
      c.failing = false;
      c.applied = [];
    }
  });

  it('a projection no event concerns commits nothing, and its checkpoint still reaches the head', async () => {
    const committed: string[] = [];
    const projector = new Projector({
      pool: h.pool,
      store: h.store,
      projections: [countA, countB],
      idleCheckpointMs: 50,
      onCommitted: (name, _position, _changes, events) =>
        committed.push(`${name}:${events.length}`),
    });
    await projector.start();
    try {
      for (let n = 0; n < 30; n++) await h.append(`a-${n}`, [{ type: 'A', data: {} }], 'no_stream');
      await until(
        async () =>
          (await checkpoint('count-a')) >= h.lastAppended &&
          (await checkpoint('count-b')) >= h.lastAppended,
        'both checkpoints at the last append',
        { timeoutMs: 10_000 },
      );
    } finally {
      await projector.stop();
    }
    expect(await count(countA)).toBe(30);
    expect(b.applied).toEqual([]);
    // count-b's checkpoint moved without a batch of its own: reported with no events.
    expect(committed.filter((c) => c.startsWith('count-b')).every((c) => c === 'count-b:0')).toBe(
      true,
    );
  });

  it('a projection whose batches fail leaves the shared reader; the other keeps up, and it catches up once it recovers', async () => {
    const errors: string[] = [];
    b.failing = true;
    const projector = new Projector({
      pool: h.pool,
      store: h.store,
      projections: [countA, countB],
      onError: (name) => errors.push(name),
    });
    await projector.start();
    try {
      for (let n = 0; n < 20; n++) {
        await h.append(`ab-${n}`, [{ type: n % 2 ? 'A' : 'B', data: {} }], 'no_stream');
      }
      await until(async () => (await count(countA)) === 10, 'count-a to see its 10 events', {
        timeoutMs: 10_000,
      });
      expect(await count(countB)).toBe(0);
      expect(errors).toContain('count-b');
      expect(errors).not.toContain('count-a');
      b.failing = false;
      await until(async () => (await count(countB)) === 10, 'count-b to recover', {
        timeoutMs: 10_000,
      });
      await until(
        async () => (await checkpoint('count-b')) >= h.lastAppended,
        'count-b checkpoint at the head',
        { timeoutMs: 10_000 },
      );
    } finally {
      await projector.stop();
    }
    expect(await count(countA)).toBe(10);
    expect(await count(countB)).toBe(10);
  });
});
