import {
  ContextStreamMoved,
  PostgresEventStore,
  eventStoreMigrations,
  type AppendResult,
  type NewEvent,
  type RecordedEvent,
} from '../../libs/event-store/src';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { visible } from './contract-helpers';

const APPENDS = 1000;
const CLOSE_AFTER = 400;
const vote = (n: number): NewEvent => ({ type: 'VoteCast', data: { n } });
const close: NewEvent = { type: 'PollClosed', data: {} };

type Outcome = { ok: true; result: AppendResult } | { ok: false; error: unknown };

/**
 * Runs `count` appends with `inFlight` of them outstanding at once; after the
 * `closeAfter`-th started, issues `closeIt` too. Returns each append's outcome and the close's.
 */
async function race(
  count: number,
  inFlight: number,
  appendOne: (n: number) => Promise<AppendResult>,
  closeIt: () => Promise<AppendResult>,
): Promise<{ outcomes: Outcome[]; closed: AppendResult }> {
  const outcomes: Outcome[] = [];
  let next = 0;
  let closing: Promise<AppendResult> | undefined;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const n = next++;
      const pending = appendOne(n).then(
        (result): Outcome => ({ ok: true, result }),
        (error: unknown): Outcome => ({ ok: false, error }),
      );
      if (n === closeAfterIndex) closing = closeIt();
      outcomes[n] = await pending;
    }
  };
  const closeAfterIndex = CLOSE_AFTER - 1;
  await Promise.all(Array.from({ length: inFlight }, worker));
  if (!closing) throw new Error('the close was never issued');
  return { outcomes, closed: await closing };
}

/** Checks the outcomes against the log: every acknowledged append precedes the close. */
async function assertOrdered(
  store: PostgresEventStore,
  ballot: (n: number) => string,
  { outcomes, closed }: { outcomes: Outcome[]; closed: AppendResult },
): Promise<void> {
  expect(outcomes).toHaveLength(APPENDS);
  const successes = outcomes.filter((o) => o.ok);
  const refusals = outcomes.flatMap((o) => (o.ok ? [] : [o.error]));
  for (const error of refusals) {
    expect(error).toBeInstanceOf(ContextStreamMoved);
    expect(error).toMatchObject({ expected: 0, actual: 1 });
  }
  expect(successes.length + refusals.length).toBe(APPENDS);
  for (const success of successes) {
    if (success.ok) expect(success.result.position).toBeLessThan(closed.position);
  }

  await visible(store, closed.position);
  const log: RecordedEvent[] = [];
  for (let from = 0n; ;) {
    const page = await store.readAll(from, 10_000);
    if (page.length === 0) break;
    log.push(...page);
    from = page[page.length - 1]!.position;
  }
  const ballots = new Set(Array.from({ length: APPENDS }, (_, n) => ballot(n)));
  const conditioned = log.filter((e) => ballots.has(e.streamId));
  expect(conditioned).toHaveLength(successes.length);
  const closeEvent = log.find((e) => e.position === closed.position);
  expect(closeEvent?.type).toBe('PollClosed');
  for (const e of conditioned) expect(e.position).toBeLessThan(closed.position);
  // The race must really have been run: some votes on each side of the close.
  expect(successes.length).toBeGreaterThanOrEqual(CLOSE_AFTER - 64);
}

describe('context close racing 1,000 appends conditioned on it', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase(eventStoreMigrations, 30);
    // Many small batches in flight: votes and the close in many concurrent transactions.
    store = new PostgresEventStore({
      pool: db.pool,
      url: db.url,
      appendConcurrency: 8,
      maxBatch: 16,
    });
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  for (const round of [1, 2, 3]) {
    it(`batched appends, 64 in flight, round ${round}: every acknowledged append precedes the close`, async () => {
      const poll = `poll-${round}`;
      const ballot = (n: number) => `ballot-${round}-${n}`;
      await store.append(poll, [{ type: 'PollOpened', data: {} }], 'no_stream');
      // Round 2 closes through its own store (its own transactions); the others share batches.
      const closer = round === 2 ? new PostgresEventStore({ pool: db.pool, url: db.url }) : store;
      const outcome = await race(
        APPENDS,
        64,
        (n) =>
          store.append(ballot(n), [vote(n)], 'no_stream', {
            conditions: [{ streamId: poll, revision: 0 }],
          }),
        () => closer.append(poll, [close], 0),
      );
      if (closer !== store) await closer.close();
      await assertOrdered(store, ballot, outcome);
    });
  }

  it('keyed path: lockForAppend, a write that takes the xid, appendWithin — same guarantee', async () => {
    await db.pool.query('CREATE TABLE IF NOT EXISTS race_claims (key text PRIMARY KEY)');
    const poll = 'poll-keyed';
    const ballot = (n: number) => `ballot-keyed-${n}`;
    await store.append(poll, [{ type: 'PollOpened', data: {} }], 'no_stream');
    const keyed = async (
      streamId: string,
      events: NewEvent[],
      expected: 'no_stream' | number,
      contexts: { streamId: string; revision: number }[],
    ): Promise<AppendResult> => {
      const client = await db.pool.connect();
      try {
        await client.query('BEGIN');
        await store.lockForAppend(client, [streamId], contexts);
        // Like an Idempotency-Key claim: gives the transaction its xid before the append.
        await client.query('INSERT INTO race_claims (key) VALUES ($1)', [`${streamId}:claim`]);
        const result = await store.appendWithin(client, streamId, events, expected, {
          conditions: contexts,
        });
        await client.query('COMMIT');
        store.notifyAppended();
        return result;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    };
    // Each keyed transaction holds a connection: 24 at once, not 64, on the shared server.
    const outcome = await race(
      APPENDS,
      24,
      (n) => keyed(ballot(n), [vote(n)], 'no_stream', [{ streamId: poll, revision: 0 }]),
      () => keyed(poll, [close], 0, []),
    );
    await assertOrdered(store, ballot, outcome);
  });
});
