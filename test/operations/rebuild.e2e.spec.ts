import { foldFromScratch, tableDifference } from '../../libs/projections/src';
import { pollCountsProjection } from '../../projections/poll-counts';
import { admin, call, startHttpApp, type HttpApp } from '../support/http-app';
import { until } from '../support/projection-harness';
import { TEST_TIME } from '../support/poll-events';

const POLLS = 8;
const SEEDED_VOTES = 60_000;
const WRITERS = 16;
const READERS = 6;

interface ProjectionRow {
  name: string;
  position: string;
  lagEvents: number;
  status: string;
  rebuild: { rebuildId: string; status: string; processed: number; error: string | null } | null;
}

const pollCounts = async (app: HttpApp): Promise<ProjectionRow> => {
  const reply = await call(app.baseUrl, 'GET', '/projections');
  const rows = reply.body as unknown as ProjectionRow[];
  return rows.find((r) => r.name === 'poll-counts')!;
};

/** Seeds votes as bulk appends (many per transaction): the replay has real work to do. */
async function seedVotes(app: HttpApp, optionIds: string[][]): Promise<void> {
  const chunk = 2000;
  for (let start = 0; start < SEEDED_VOTES; start += chunk) {
    const events = Array.from({ length: chunk }, (_, i) => {
      const n = start + i;
      const poll = n % POLLS;
      return {
        type: 'Voted',
        data: {
          pollId: `rb${poll}`,
          voterId: `seed${n}`,
          optionId: optionIds[poll]![n % 2]!,
          previousOptionId: null,
          votedAt: TEST_TIME,
        },
      };
    });
    await app.store.append(`seed-${start}`, events, 'no_stream');
  }
}

describe('rebuilding a projection under concurrent writes and reads', () => {
  let app: HttpApp;
  beforeAll(async () => {
    app = await startHttpApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('admin only; unknown projection → 404 projection_not_found', async () => {
    const anonymous = await call(app.baseUrl, 'POST', '/projections/poll-counts/rebuild');
    expect([anonymous.status, anonymous.body.error]).toEqual([401, 'unauthorized']);
    const wrong = await call(app.baseUrl, 'POST', '/projections/poll-counts/rebuild', undefined, {
      authorization: 'Bearer nope',
    });
    expect(wrong.status).toBe(401);
    const unknown = await call(
      app.baseUrl,
      'POST',
      '/projections/no-such/rebuild',
      undefined,
      admin,
    );
    expect([unknown.status, unknown.body.error]).toEqual([404, 'projection_not_found']);
    const hostile = await call(
      app.baseUrl,
      'POST',
      `/projections/${encodeURIComponent("x'; DROP TABLE proj_polls; --")}/rebuild`,
      undefined,
      admin,
    );
    expect(hostile.status).toBe(404);
    expect((await call(app.baseUrl, 'GET', '/projections')).status).toBe(200);
  });

  it('no read fails or goes backwards, a second start is 409, and the swapped tables equal a from-scratch fold', async () => {
    const optionIds: string[][] = [];
    for (let p = 0; p < POLLS; p++) {
      const opened = await call(app.baseUrl, 'POST', '/polls', {
        pollId: `rb${p}`,
        title: `Rebuild ${p}`,
        options: ['yes', 'no'],
      });
      expect(opened.status).toBe(201);
      optionIds.push((opened.body.options as { optionId: string }[]).map((o) => o.optionId));
    }
    await seedVotes(app, optionIds);

    let stop = false;
    let acknowledged = 0;
    let acknowledgedDuringRebuild = 0;
    let readsDuringRebuild = 0;
    let rebuilding = false;
    const problems: string[] = [];
    const writer = async (w: number): Promise<void> => {
      for (let i = 0; !stop; i++) {
        // Every third request changes the voter's vote of the request before: the fold moves a count.
        const ballot = i % 3 === 2 ? i - 1 : i;
        const poll = (w + ballot) % POLLS;
        const reply = await call(app.baseUrl, 'POST', `/polls/rb${poll}/votes`, {
          voterId: `w${w}-${ballot}`,
          optionId: optionIds[poll]![i % 2]!,
        });
        if (reply.status !== 200)
          problems.push(`vote ${reply.status} ${JSON.stringify(reply.body)}`);
        acknowledged++;
        if (rebuilding) acknowledgedDuringRebuild++;
      }
    };
    const reader = async (r: number): Promise<void> => {
      const last = new Map<number, { position: bigint; total: number }>();
      for (let i = 0; !stop; i++) {
        const poll = (r + i) % POLLS;
        const reply = await call(app.baseUrl, 'GET', `/polls/rb${poll}`);
        if (reply.status !== 200) {
          problems.push(`read ${reply.status} ${JSON.stringify(reply.body)}`);
          continue;
        }
        if (rebuilding) readsDuringRebuild++;
        const position = BigInt(String(reply.body.position));
        const total = Number(reply.body.totalVotes);
        const previous = last.get(poll);
        if (previous && position < previous.position)
          problems.push(`poll ${poll}: position went back ${previous.position} → ${position}`);
        if (previous && total < previous.total)
          problems.push(`poll ${poll}: totalVotes went back ${previous.total} → ${total}`);
        last.set(poll, { position, total });
      }
    };
    const load = [
      ...Array.from({ length: WRITERS }, (_, w) => writer(w)),
      ...Array.from({ length: READERS }, (_, r) => reader(r)),
    ];
    try {
      await until(() => Promise.resolve(acknowledged >= 200), 'load running');
      rebuilding = true;
      const started = await call(
        app.baseUrl,
        'POST',
        '/projections/poll-counts/rebuild',
        undefined,
        admin,
      );
      expect(started.status).toBe(202);
      expect(started.body.name).toBe('poll-counts');
      expect(started.body.rebuildId).toMatch(/^[0-9a-f-]{36}$/);
      const again = await call(
        app.baseUrl,
        'POST',
        '/projections/poll-counts/rebuild',
        undefined,
        admin,
      );
      expect([again.status, again.body.error, again.body.rebuildId]).toEqual([
        409,
        'rebuild_in_progress',
        started.body.rebuildId,
      ]);
      const seen = new Set<string>();
      await until(
        async () => {
          const row = await pollCounts(app);
          seen.add(row.status);
          if (row.rebuild?.status === 'failed')
            throw new Error(`rebuild failed: ${row.rebuild.error}`);
          return (
            row.rebuild?.rebuildId === started.body.rebuildId && row.rebuild?.status === 'completed'
          );
        },
        'rebuild completed',
        { timeoutMs: 120_000, intervalMs: 50 },
      );
      expect(seen.has('rebuilding')).toBe(true);
      // Keep writing and reading across the swap and a little after it.
      const afterSwap = acknowledged;
      await until(() => Promise.resolve(acknowledged >= afterSwap + 100), 'writes after the swap');
    } finally {
      rebuilding = false;
      stop = true;
      await Promise.all(load);
    }
    expect(problems).toEqual([]);
    expect(acknowledgedDuringRebuild).toBeGreaterThan(0);
    expect(readsDuringRebuild).toBeGreaterThan(0);

    const head = await app.store.headPosition();
    await until(async () => BigInt((await pollCounts(app)).position) >= head, 'caught up');
    const scratch = await foldFromScratch({
      pool: app.db.pool,
      store: app.store,
      projection: pollCountsProjection,
      until: head,
      suffix: 'scratch',
    });
    for (const [logical, live] of Object.entries(pollCountsProjection.tables)) {
      const differing = await tableDifference(app.db.pool, live, scratch[logical]!);
      const rows =
        differing === 0
          ? []
          : (
              await app.db.pool.query(
                `(SELECT 'live' AS side, * FROM (TABLE ${live} EXCEPT ALL TABLE ${scratch[logical]!}) a)
                  UNION ALL (SELECT 'scratch', * FROM (TABLE ${scratch[logical]!} EXCEPT ALL TABLE ${live}) b)`,
              )
            ).rows;
      expect([logical, rows]).toEqual([logical, []]);
    }
    const { rows } = await app.db.pool.query<{ total: string }>(
      'SELECT sum(total_votes) AS total FROM proj_polls',
    );
    const voters = await app.db.pool.query<{ n: string }>(
      `SELECT count(DISTINCT (data->>'pollId', data->>'voterId')) AS n FROM tally_events WHERE type = 'Voted'`,
    );
    expect(Number(rows[0]!.total)).toBe(Number(voters.rows[0]!.n));
    expect(Number(rows[0]!.total)).toBeGreaterThan(SEEDED_VOTES);
    // No shadow or old table is left behind.
    const leftovers = await app.db.pool.query(
      `SELECT tablename FROM pg_tables WHERE tablename LIKE 'proj\\_poll%\\_\\_%' AND tablename NOT LIKE '%scratch'`,
    );
    expect(leftovers.rows).toEqual([]);
  }, 240_000);
});
