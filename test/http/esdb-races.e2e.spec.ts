import { EsdbEventStore, type RecordedEvent } from '../../libs/event-store/src';
import { foldFromScratch } from '../../libs/projections/src';
import { pollCountsProjection } from '../../projections/poll-counts';
import { startEsdbTestServer, type EsdbTestServer } from '../support/esdb';
import { admin, call, countBy, startHttpApp, type HttpApp } from '../support/http-app';
import { expectRaceAnswers, raceVotesAgainstClose } from '../support/vote-close-race';

/**
 * The races of the HTTP API with EVENTSTORE_URL pointing at the protocol-level EventStoreDB
 * TEST SERVER (the real client over gRPC; not EventStoreDB itself): votes against a close
 * (conditions checked right before the append, one API process) and purchases of a stock.
 */
describe('HTTP races with the log in EventStoreDB (protocol test server)', () => {
  let server: EsdbTestServer;
  let app: HttpApp;
  let store: EsdbEventStore;

  beforeAll(async () => {
    server = await startEsdbTestServer();
    app = await startHttpApp({ EVENTSTORE_URL: server.url, TALLY_PG_POOL_SIZE: '40' });
    store = new EsdbEventStore({ url: server.url, pool: app.db.pool });
  });
  afterAll(async () => {
    await store.close();
    await app.close();
    await server.stop();
  });

  async function wholeLog(): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for (let from = 0n; ;) {
      const page = await store.readAll(from, 1000);
      if (page.length === 0) return events;
      events.push(...page);
      from = page[page.length - 1]!.position;
    }
  }

  it('1,000 votes racing a close: every acknowledged vote precedes PollClosed, a fold counts exactly them', async () => {
    const pollId = 'esdb-race';
    const race = await raceVotesAgainstClose(() => app.baseUrl, pollId);
    const { accepted, closedAt } = expectRaceAnswers(race);

    const log = await wholeLog();
    const closed = log.find((e) => e.streamId === `poll-${pollId}` && e.type === 'PollClosed');
    expect(closed?.position).toBe(closedAt);
    const voted = log.filter(
      (e) => e.streamId.startsWith(`ballot-${pollId}|`) && e.type === 'Voted',
    );
    expect(voted.length).toBeGreaterThanOrEqual(accepted.length);
    expect(voted.every((e) => e.position < closedAt)).toBe(true);
    const tables = await foldFromScratch({
      pool: app.db.pool,
      store,
      projection: pollCountsProjection,
      until: await store.headPosition(),
      suffix: 'esdb_race',
    });
    const folded = await app.db.pool.query<{ total_votes: string }>(
      `SELECT total_votes FROM ${tables.polls} WHERE poll_id = $1`,
      [pollId],
    );
    expect(Number(folded.rows[0]?.total_votes)).toBe(accepted.length);
  });

  it('300 concurrent purchases of a stock of 100 → exactly 100 Purchased events', async () => {
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      call(app.baseUrl, 'POST', path, body, headers);
    expect((await post('/items', { sku: 'esdb-1', name: 'Lamp', stock: 100 }, admin)).status).toBe(
      201,
    );
    const replies = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        post('/items/esdb-1/purchases', { customerId: `c${i}`, quantity: 1 }),
      ),
    );
    expect(countBy(replies, (r) => r.status)).toEqual({ 201: 100, 409: 200 });
    const events = await store.readStream('item-esdb-1', { maxCount: 1000 });
    expect(events.filter((e) => e.type === 'Purchased')).toHaveLength(100);

    const key = { 'Idempotency-Key': 'esdb-order-1' };
    await post('/items', { sku: 'esdb-2', name: 'Mug', stock: 10 }, admin);
    const keyed = await Promise.all(
      Array.from({ length: 20 }, () =>
        post('/items/esdb-2/purchases', { customerId: 'c1', quantity: 3 }, key),
      ),
    );
    expect(new Set(keyed.map((r) => r.status))).toEqual(new Set([201]));
    expect(new Set(keyed.map((r) => r.body.purchaseId)).size).toBe(1);
    const purchases = (await store.readStream('item-esdb-2')).filter((e) => e.type === 'Purchased');
    expect(purchases).toHaveLength(1);
  });
});
