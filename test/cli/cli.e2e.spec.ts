import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allMigrations } from '../../apps/shared/src/all-migrations';
import { PostgresEventStore, type NewEvent } from '../../libs/event-store/src';
import { Projector, foldFromScratch, tableDifference } from '../../libs/projections/src';
import { allProjections } from '../../projections';
import { pollCountsProjection } from '../../projections/poll-counts';
import { jsonOf, runCli, startCli } from '../support/cli-process';
import { freePort } from '../support/free-port';
import { TEST_TIME, pollOpened } from '../support/poll-events';
import { until } from '../support/projection-harness';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const POLLS = 4;
const VOTES = 40_000;

interface VerifyTable {
  table: string;
  key: string[];
  missing: { key: object; expected: object }[];
  extra: { key: object; live: object }[];
  differing: { key: object; live: object; expected: object }[];
}

interface VerifyReport {
  projection: string;
  position: string;
  events: number;
  equal: boolean;
  tables: VerifyTable[];
}

interface StatusRow {
  name: string;
  position: string;
  headPosition: string;
  lagEvents: number;
  lagSeconds: number;
  status: string;
  eventsPerSecond: number;
  parkedEvents: number;
}

const voted = (n: number): NewEvent => ({
  type: 'Voted',
  data: {
    pollId: `c${n % POLLS}`,
    voterId: `v${n}`,
    optionId: n % 3 === 0 ? 'b' : 'a',
    previousOptionId: null,
    votedAt: TEST_TIME,
  },
});

async function seed(store: PostgresEventStore, from: number, count: number): Promise<void> {
  for (let start = from; start < from + count; start += 2000) {
    const events = Array.from({ length: Math.min(2000, from + count - start) }, (_, i) =>
      voted(start + i),
    );
    await store.append(`bulk-${start}`, events, 'no_stream');
  }
}

/** The live poll-counts tables, compared with a from-scratch fold up to the head. */
async function equalsFromScratch(db: TestDatabase, store: PostgresEventStore): Promise<void> {
  const scratch = await foldFromScratch({
    pool: db.pool,
    store,
    projection: pollCountsProjection,
    until: await store.headPosition(),
    suffix: 'cmp',
  });
  for (const [logical, live] of Object.entries(pollCountsProjection.tables))
    expect([logical, await tableDifference(db.pool, live, scratch[logical]!)]).toEqual([
      logical,
      0,
    ]);
}

describe('the tally CLI against a real database', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  beforeAll(async () => {
    db = await createTestDatabase(allMigrations());
    store = new PostgresEventStore({ pool: db.pool, url: db.url, pollIntervalMs: 100 });
    for (let p = 0; p < POLLS; p++)
      await store.append(`poll-c${p}`, [pollOpened(`c${p}`, `C${p}`)], 'no_stream');
    await seed(store, 0, VOTES);
  }, 120_000);
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  it('projections status --json: every projection with its exact lag in events of its own types before any projector ran', async () => {
    const rows = jsonOf<StatusRow[]>(await runCli(['projections', 'status', '--json'], db.url));
    expect(rows.map((r) => r.name)).toEqual(allProjections.map((p) => p.name));
    const head = (await store.headPosition()).toString();
    for (const row of rows) {
      const types = allProjections.find((p) => p.name === row.name)!.eventTypes;
      const lag =
        (types.includes('PollOpened') ? POLLS : 0) + (types.includes('Voted') ? VOTES : 0);
      expect(row).toMatchObject({ position: '0', headPosition: head, lagEvents: lag });
      expect(row.eventsPerSecond).toBe(0);
      if (lag === 0) expect([row.lagSeconds, row.status]).toEqual([0, 'live']);
      // Seeding took seconds: the oldest waiting event is past the live bound.
      else expect(['catching_up', 'stalled']).toContain(row.status);
    }
    expect(rows.filter((r) => r.lagEvents > 0).map((r) => r.name)).toContain('poll-counts');
    const table = await runCli(['projections', 'status'], db.url);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(
      /^projection\s+checkpoint\s+head\s+lag events\s+lag seconds\s+status\s+events\/s/,
    );
  });

  it('projections rebuild: progress on stderr, the result on stdout, tables equal a from-scratch fold, checkpoint at the head', async () => {
    const result = await runCli(['projections', 'rebuild', 'poll-counts', '--json'], db.url);
    expect(result.code).toBe(0);
    const summary = jsonOf<{ status: string; events: number; position: string }>(result);
    expect(summary.status).toBe('completed');
    expect(summary.events).toBe(POLLS + VOTES);
    expect(summary.position).toBe((await store.headPosition()).toString());
    expect(result.stderr).toMatch(
      /poll-counts \[█+\] 100% 40,004\/40,004 events\s+[\d,]+ ev\/s\s+ETA/,
    );
    await equalsFromScratch(db, store);
    const { rows } = await db.pool.query<{ total: string }>(
      'SELECT sum(total_votes) AS total FROM proj_polls',
    );
    expect(Number(rows[0]!.total)).toBe(VOTES);
  }, 120_000);

  it('a rebuild SIGKILLed mid-way leaves the live tables untouched and the next one completes', async () => {
    const before = await db.pool.query('SELECT * FROM proj_poll_options ORDER BY 1, 2');
    const running = startCli(
      ['projections', 'rebuild', 'poll-counts', '--batch-size', '200'],
      db.url,
    );
    await until(
      async () => {
        const { rows } = await db.pool.query<{ processed: string }>(
          `SELECT processed FROM tally_projection_rebuilds WHERE status = 'running'`,
        );
        return Number(rows[0]?.processed ?? 0) > 2000;
      },
      'rebuild under way',
      { timeoutMs: 60_000 },
    );
    running.child.kill('SIGKILL');
    const killed = await running.exited;
    expect(killed.signal).toBe('SIGKILL');
    const after = await db.pool.query('SELECT * FROM proj_poll_options ORDER BY 1, 2');
    expect(after.rows).toEqual(before.rows);
    const shadows = await db.pool.query(
      `SELECT tablename FROM pg_tables WHERE tablename LIKE 'proj\\_poll%\\_\\_r%'`,
    );
    expect(shadows.rows.length).toBeGreaterThan(0);

    const again = await runCli(['projections', 'rebuild', 'poll-counts', '--json'], db.url);
    expect(again.code).toBe(0);
    const history = await db.pool.query<{ status: string; error: string | null }>(
      `SELECT status, error FROM tally_projection_rebuilds WHERE name = 'poll-counts' ORDER BY started_at`,
    );
    expect(history.rows.map((r) => r.status)).toEqual(['completed', 'failed', 'completed']);
    expect(history.rows[1]!.error).toMatch(/interrupted/);
    const leftovers = await db.pool.query(
      `SELECT tablename FROM pg_tables WHERE tablename LIKE 'proj\\_poll%\\_\\_r%' OR tablename LIKE 'proj\\_poll%\\_\\_old%'`,
    );
    expect(leftovers.rows).toEqual([]);
    await equalsFromScratch(db, store);
  }, 120_000);

  it('projections verify: equal after a rebuild (exit 0); missing, extra and differing rows named by key (exit 1)', async () => {
    const equal = await runCli(['projections', 'verify', 'poll-counts', '--json'], db.url);
    expect(equal.code).toBe(0);
    const same = jsonOf<VerifyReport>(equal);
    expect(same).toMatchObject({
      projection: 'poll-counts',
      position: (await store.headPosition()).toString(),
      events: POLLS + VOTES,
      equal: true,
    });
    for (const table of same.tables)
      expect([table.table, table.missing, table.extra, table.differing]).toEqual([
        table.table,
        [],
        [],
        [],
      ]);
    expect(equal.stderr).toMatch(/poll-counts \[█+\] 100% 40,004\/40,004 events/);

    const [removed] = (
      await db.pool.query<{
        poll_id: string;
        option_id: string;
        text: string;
        ord: number;
        votes: string;
      }>(`DELETE FROM proj_poll_options WHERE poll_id = 'c2' AND option_id = 'a' RETURNING *`)
    ).rows;
    await db.pool.query(`UPDATE proj_polls SET total_votes = total_votes + 1 WHERE poll_id = 'c1'`);
    await db.pool.query(
      `INSERT INTO proj_poll_options (poll_id, option_id, text, ord, votes) VALUES ('ghost', 'z', 'Z', 0, 3)`,
    );
    try {
      const differs = await runCli(['projections', 'verify', 'poll-counts', '--json'], db.url);
      expect(differs.code).toBe(1);
      const report = jsonOf<VerifyReport>(differs);
      expect(report.equal).toBe(false);
      const polls = report.tables.find((t) => t.table === 'polls')!;
      const options = report.tables.find((t) => t.table === 'options')!;
      expect(polls.key).toEqual(['poll_id']);
      expect(polls.differing).toMatchObject([
        {
          key: { poll_id: 'c1' },
          live: { total_votes: VOTES / POLLS + 1 },
          expected: { total_votes: VOTES / POLLS },
        },
      ]);
      expect([polls.missing, polls.extra]).toEqual([[], []]);
      expect(options.key).toEqual(['poll_id', 'option_id']);
      expect(options.missing).toMatchObject([
        { key: { poll_id: 'c2', option_id: 'a' }, expected: { votes: Number(removed!.votes) } },
      ]);
      expect(options.extra).toMatchObject([
        { key: { poll_id: 'ghost', option_id: 'z' }, live: { votes: 3 } },
      ]);
      expect(options.differing).toEqual([]);

      const text = await runCli(['projections', 'verify', 'poll-counts'], db.url);
      expect(text.code).toBe(1);
      expect(text.stdout).toContain('poll-counts: DIFFERS from a fold from scratch');
      expect(text.stdout).toMatch(/options \(proj_poll_options\): 1 missing, 1 extra, 0 differing/);
      expect(text.stdout).toContain('missing   {"poll_id":"c2","option_id":"a"}');
      expect(text.stdout).toContain('differing {"poll_id":"c1"}');
    } finally {
      await db.pool.query(`DELETE FROM proj_poll_options WHERE poll_id = 'ghost'`);
      await db.pool.query(
        `UPDATE proj_polls SET total_votes = total_votes - 1 WHERE poll_id = 'c1'`,
      );
      await db.pool.query(
        'INSERT INTO proj_poll_options (poll_id, option_id, text, ord, votes) VALUES ($1, $2, $3, $4, $5)',
        [removed!.poll_id, removed!.option_id, removed!.text, removed!.ord, removed!.votes],
      );
    }
    // Its scratch tables are gone with it.
    const scratch = await db.pool.query(
      `SELECT tablename FROM pg_tables WHERE tablename LIKE '%\\_\\_verify%'`,
    );
    expect(scratch.rows).toEqual([]);
    expect((await runCli(['projections', 'verify', 'poll-counts'], db.url)).code).toBe(0);
  }, 120_000);

  it('a rebuild while another holds the lock is refused (exit 2), and an unknown projection too', async () => {
    const holder = await db.pool.connect();
    try {
      await holder.query(`SELECT pg_advisory_lock(hashtext('tally.rebuild.poll-counts'))`);
      const refused = await runCli(['projections', 'rebuild', 'poll-counts'], db.url);
      expect([refused.code, refused.stderr]).toEqual([2, expect.stringMatching(/already running/)]);
    } finally {
      await holder.query(`SELECT pg_advisory_unlock_all()`);
      holder.release();
    }
    const unknown = await runCli(['projections', 'rebuild', 'nope'], db.url);
    expect([unknown.code, unknown.stderr]).toEqual([
      2,
      expect.stringMatching(/no projection named 'nope'/),
    ]);
  });

  it('replay --from --to --projection folds exactly that range into scratch tables, live tables untouched', async () => {
    const firstVote = await db.pool.query<{ position: string }>(
      `SELECT position FROM tally_events WHERE type = 'Voted' ORDER BY position LIMIT 1`,
    );
    const lastOfFirstAppend = await db.pool.query<{ position: string }>(
      `SELECT max(position) AS position FROM tally_events WHERE stream_id = 'bulk-0'`,
    );
    const from = (BigInt(firstVote.rows[0]!.position) - 1n).toString();
    const live = await db.pool.query('SELECT * FROM proj_polls ORDER BY 1');
    const result = await runCli(
      [
        'replay',
        '--from',
        from,
        '--to',
        lastOfFirstAppend.rows[0]!.position,
        '--projection',
        'poll-counts',
        '--json',
      ],
      db.url,
    );
    expect(result.code).toBe(0);
    const summary = jsonOf<{ events: number; tables: { scratch: string; rows: number }[] }>(result);
    expect(summary.events).toBe(2000);
    const { rows } = await db.pool.query<{ total: string }>(
      'SELECT sum(votes) AS total FROM proj_poll_options__replay',
    );
    expect(Number(rows[0]!.total)).toBe(2000);
    expect((await db.pool.query('SELECT * FROM proj_polls ORDER BY 1')).rows).toEqual(live.rows);
  });

  it('replay names a malformed event it passes over (as the projector parks it) and exits 1', async () => {
    const head = await store.headPosition();
    const poison = await store.append(
      'poison-1',
      [
        {
          type: 'Voted',
          data: { voterId: 'x', optionId: 'a', previousOptionId: null, votedAt: TEST_TIME },
        },
      ],
      'no_stream',
    );
    const result = await runCli(
      ['replay', '--from', head.toString(), '--projection', 'poll-counts'],
      db.url,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `poll-counts skips malformed event ${poison.position} (Voted in poison-1@0)`,
    );
  });

  it('lag --json: projections, relays and (Kafka off) no consumer group', async () => {
    const lag = jsonOf<{ projections: StatusRow[]; relays: unknown[]; consumerGroups: unknown }>(
      await runCli(['lag', '--json'], db.url),
    );
    expect(lag.projections).toHaveLength(allProjections.length);
    expect(lag.relays).toEqual([]);
    expect(lag.consumerGroups).toBeNull();
  });

  it('events tail: the last events of a stream, then new ones as they commit (--follow)', async () => {
    const past = await runCli(
      ['events', 'tail', '--stream', 'poll-c1', '--no-follow', '--json'],
      db.url,
    );
    const lines = past.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { streamId: string; type: string });
    expect(lines).toEqual([expect.objectContaining({ streamId: 'poll-c1', type: 'PollOpened' })]);
    const lastThree = await runCli(['events', 'tail', '-n', '3', '--no-follow'], db.url);
    expect(lastThree.stdout.trim().split('\n')).toHaveLength(3);

    await store.append('tail-me', [{ type: 'Created', data: {} }], 'no_stream');
    const follower = startCli(
      ['events', 'tail', '--stream', 'tail-me', '-n', '0', '--json'],
      db.url,
    );
    const printedOn = (stream: 'stdout' | 'stderr', text: string) => () =>
      Promise.resolve(follower.output()[stream].includes(text));
    await until(printedOn('stderr', 'following the log'), 'follower started', {
      timeoutMs: 20_000,
    });
    await store.append('not-me', [{ type: 'Noise', data: {} }], 'any');
    await store.append('tail-me', [{ type: 'Followed', data: { n: 1 } }], 'any');
    await until(printedOn('stdout', 'Followed'), 'followed event printed', { timeoutMs: 20_000 });
    follower.child.kill('SIGTERM');
    const done = await follower.exited;
    const printed = done.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; data: unknown });
    expect(printed).toEqual([expect.objectContaining({ type: 'Followed', data: { n: 1 } })]);
  });

  it('events tail --stream of a stream that does not exist says so and exits 1', async () => {
    for (const follow of [[], ['--no-follow']]) {
      const result = await runCli(['events', 'tail', '--stream', 'nosuch', ...follow], db.url);
      expect([result.code, result.stdout, result.stderr]).toEqual([
        1,
        '',
        "tally: stream 'nosuch' does not exist (no event was ever appended to it)\n",
      ]);
    }
  });

  it('events tail --type and --category: the last matching events of the log, then new matching ones', async () => {
    const lines = (stdout: string) =>
      stdout
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { streamId: string; type: string; position: string });
    // The PollOpened events lie 40,000 votes back: several pages of the log are read for them.
    const opened = await runCli(
      ['events', 'tail', '--type', 'PollOpened', '--no-follow', '--json'],
      db.url,
    );
    expect(lines(opened.stdout).map((e) => `${e.streamId} ${e.type}`)).toEqual(
      Array.from({ length: POLLS }, (_, p) => `poll-c${p} PollOpened`),
    );
    const two = await runCli(
      ['events', 'tail', '--category', 'poll', '-n', '2', '--no-follow', '--json'],
      db.url,
    );
    expect(lines(two.stdout).map((e) => e.streamId)).toEqual(['poll-c2', 'poll-c3']);
    await store.append('cat-a', [{ type: 'Apple', data: {} }], 'any');
    await store.append('cat-b', [{ type: 'Banana', data: {} }], 'any');
    await store.append('dog-a', [{ type: 'Apple', data: {} }], 'any');
    const both = await runCli(
      ['events', 'tail', '--type', 'Apple,Banana', '--category', 'cat', '--no-follow', '--json'],
      db.url,
    );
    expect(lines(both.stdout).map((e) => `${e.streamId} ${e.type}`)).toEqual([
      'cat-a Apple',
      'cat-b Banana',
    ]);
    const repeated = await runCli(
      ['events', 'tail', '--type', 'Banana', '--type', 'Apple', '--no-follow', '--json'],
      db.url,
    );
    expect(lines(repeated.stdout).map((e) => e.streamId)).toEqual(['cat-a', 'cat-b', 'dog-a']);

    const follower = startCli(
      ['events', 'tail', '--type', 'Apple', '--category', 'dog', '-n', '0', '--json'],
      db.url,
    );
    await until(
      () => Promise.resolve(follower.output().stderr.includes('following the log')),
      'follower started',
      { timeoutMs: 20_000 },
    );
    await store.append('dog-b', [{ type: 'Banana', data: {} }], 'any');
    await store.append('cat-c', [{ type: 'Apple', data: {} }], 'any');
    await store.append('dog-c', [{ type: 'Apple', data: { last: true } }], 'any');
    await until(
      () => Promise.resolve(follower.output().stdout.includes('dog-c')),
      'followed event printed',
      { timeoutMs: 20_000 },
    );
    follower.child.kill('SIGTERM');
    const done = await follower.exited;
    expect(lines(done.stdout).map((e) => `${e.streamId} ${e.type}`)).toEqual(['dog-c Apple']);
  });

  it('bad arguments exit 2 with a message and no stack, checked before connecting anywhere', async () => {
    const cases: [string[], RegExp][] = [
      [['replay', '--from', 'abc'], /--from must be a position/],
      [
        ['replay', '--from', '-5'],
        /--from must be a position \(a non-negative integer\), got '-5'/,
      ],
      [['replay', '--from', '0', '--projection', 'nope'], /no projection named 'nope'; known: /],
      [['replay'], /required option '--from <position>' not specified/],
      [['events', 'tail', '-n', 'lots'], /--limit must be an integer from 0 to 10000, got 'lots'/],
      [['events', 'tail', '--type', ','], /--type takes names separated by commas/],
      [['projections', 'frobnicate'], /unknown command 'frobnicate'/],
      [
        ['projections', 'rebuild', 'poll-counts', '--batch-size', '0'],
        /--batch-size must be an integer from 1 to 10000, got '0'/,
      ],
      [['projections', 'rebuild', 'nope'], /no projection named 'nope'/],
      [['projections', 'verify', 'nope'], /no projection named 'nope'/],
      [['projections', 'retry', 'poll-counts', '--position', 'x'], /--position must be a position/],
    ];
    const empty = await mkdtemp(join(tmpdir(), 'tally-cli-nodb-'));
    try {
      const places: [string, string | undefined, NodeJS.ProcessEnv][] = [
        ['a running database', db.url, {}],
        ['no database listening', 'postgres://tally:tally@127.0.0.1:1/tally', {}],
        // Nothing may start an embedded server (initialise a cluster) for a wrong argument.
        [
          'no DATABASE_URL, an empty data dir',
          undefined,
          { TALLY_DATA_DIR: empty, TALLY_EMBEDDED_PG_PORT: String(await freePort()) },
        ],
      ];
      for (const [place, url, env] of places)
        for (const [args, message] of cases) {
          const result = await runCli(args, url, env);
          expect([place, args.join(' '), result.code, result.stderr]).toEqual([
            place,
            args.join(' '),
            2,
            expect.stringMatching(message),
          ]);
          expect(result.stderr).not.toContain('    at ');
        }
      expect(await readdir(empty)).toEqual([]);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  }, 120_000);

  it('after the projector runs, status reports every projection live at the head, and verify agrees while it folds new votes', async () => {
    // The malformed vote of the replay test is parked, not folded: poll-counts passes it.
    const projector = new Projector({ pool: db.pool, store, projections: allProjections });
    await projector.start();
    try {
      const head = (await store.headPosition()).toString();
      await until(async () => {
        const rows = jsonOf<StatusRow[]>(await runCli(['projections', 'status', '--json'], db.url));
        return rows.every((r) => r.position === head && r.status === 'live');
      }, 'projections live');
      const rows = jsonOf<StatusRow[]>(await runCli(['projections', 'status', '--json'], db.url));
      const polls = rows.find((r) => r.name === 'poll-counts')!;
      expect([polls.lagEvents, polls.parkedEvents]).toEqual([0, 1]);

      // verify while votes keep coming and the projector keeps folding them: it compares at
      // one checkpoint, whatever moves around it.
      let writing = true;
      let appended = 0;
      const writer = (async () => {
        while (writing) {
          await store.append(`late-${appended}`, [voted(VOTES + appended)], 'no_stream');
          appended++;
        }
      })();
      try {
        const verified = await runCli(['projections', 'verify', 'poll-counts', '--json'], db.url);
        const report = jsonOf<VerifyReport>(verified);
        expect([verified.code, report.equal]).toEqual([0, true]);
        expect(BigInt(report.position)).toBeGreaterThan(BigInt(head));
      } finally {
        writing = false;
        await writer;
      }
      expect(appended).toBeGreaterThan(0);
    } finally {
      await projector.stop();
    }
  });
});
