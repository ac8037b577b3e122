import { allProjections } from '../../projections';
import { admin, call, startHttpApp, type HttpApp } from '../support/http-app';
import { until } from '../support/projection-harness';

const API_TOKEN = 'ops-api-token';
const asApi = { authorization: `Bearer ${API_TOKEN}` };

interface Browsed {
  position: string;
  streamId: string;
  type: string;
}

const eventsOf = (body: Record<string, unknown>): Browsed[] => body.events as Browsed[];

describe('the ops page routes: lag history, access, event browser', () => {
  let app: HttpApp;
  beforeAll(async () => {
    // No projector: the lag stays where the writes put it.
    app = await startHttpApp({
      TALLY_API_TOKEN: API_TOKEN,
      TALLY_PROJECTOR: 'off',
      TALLY_OPS_LAG_SAMPLE_MS: '200',
    });
    expect(
      (
        await call(
          app.baseUrl,
          'POST',
          '/polls',
          { pollId: 'ops-a', title: 'A', options: ['x', 'y'] },
          asApi,
        )
      ).status,
    ).toBe(201);
    await call(
      app.baseUrl,
      'POST',
      '/polls',
      { pollId: 'ops-b', title: 'B', options: ['x', 'y'] },
      asApi,
    );
    for (let i = 0; i < 30; i += 1) {
      const pollId = i % 3 === 0 ? 'ops-b' : 'ops-a';
      const vote = { voterId: `v${i}`, optionId: 'o1' };
      expect((await call(app.baseUrl, 'POST', `/polls/${pollId}/votes`, vote, asApi)).status).toBe(
        200,
      );
    }
    // v0 changes its mind twice: three events in its ballot stream.
    for (const optionId of ['o2', 'o1']) {
      const vote = { voterId: 'v0', optionId };
      expect((await call(app.baseUrl, 'POST', '/polls/ops-b/votes', vote, asApi)).status).toBe(200);
    }
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it('keeps each projection lag sampled over time, served to the API token', async () => {
    expect((await call(app.baseUrl, 'GET', '/ops/lag-history')).status).toBe(401);
    await until(
      async () => {
        const { body } = await call(app.baseUrl, 'GET', '/ops/lag-history', undefined, asApi);
        const projections = body.projections as {
          name: string;
          samples: { lagEvents: number }[];
        }[];
        const polls = projections.find((p) => p.name === 'poll-counts');
        return (polls?.samples.filter((s) => s.lagEvents === 34).length ?? 0) >= 3;
      },
      'three samples of the lag 34',
      { timeoutMs: 10_000, intervalMs: 200 },
    );
    const { body } = await call(app.baseUrl, 'GET', '/ops/lag-history', undefined, asApi);
    expect(body).toMatchObject({ intervalMs: 200, windowMs: 3_600_000 });
    const projections = body.projections as { name: string; samples: { time: string }[] }[];
    expect(projections.map((p) => p.name)).toEqual(allProjections.map((p) => p.name));
    const times = projections[0]!.samples.map((s) => Date.parse(s.time));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('says whether the presented token is the admin one, header or access_token', async () => {
    expect((await call(app.baseUrl, 'GET', '/ops/access')).status).toBe(401);
    expect((await call(app.baseUrl, 'GET', '/ops/access', undefined, asApi)).body).toEqual({
      token: 'api',
      admin: false,
    });
    expect((await call(app.baseUrl, 'GET', '/ops/access', undefined, admin)).body).toEqual({
      token: 'admin',
      admin: true,
    });
    expect(
      (await call(app.baseUrl, 'GET', '/ops/access?access_token=test-admin-token')).body,
    ).toEqual({ token: 'admin', admin: true });
  });

  it('browses the newest events, by stream and by type, a page at a time', async () => {
    expect((await call(app.baseUrl, 'GET', '/ops/events')).status).toBe(401);
    const head = String(await app.store.headPosition());
    const latest = await call(app.baseUrl, 'GET', '/ops/events', undefined, asApi);
    expect(latest.status).toBe(200);
    expect(latest.body).toMatchObject({ headPosition: head });
    const all = eventsOf(latest.body);
    expect(all).toHaveLength(20);
    expect(all[0]!.position).toBe(head);
    const positions = all.map((e) => BigInt(e.position));
    expect(positions).toEqual([...positions].sort((a, b) => (a > b ? -1 : 1)));

    const votes = await call(
      app.baseUrl,
      'GET',
      '/ops/events?type=Voted&limit=100',
      undefined,
      asApi,
    );
    expect(eventsOf(votes.body)).toHaveLength(32);
    expect(new Set(eventsOf(votes.body).map((e) => e.type))).toEqual(new Set(['Voted']));
    expect(votes.body.next).toBeNull();

    const streamB = eventsOf(votes.body)[0]!.streamId; // v0's last vote
    const ofB = await call(
      app.baseUrl,
      'GET',
      `/ops/events?stream=${encodeURIComponent(streamB)}&limit=100`,
      undefined,
      asApi,
    );
    const inB = eventsOf(ofB.body);
    expect(inB).toHaveLength(3);
    expect(new Set(inB.map((e) => e.streamId))).toEqual(new Set([streamB]));

    // Pages: `next` continues where the previous page stopped, nothing skipped or repeated.
    const seen: string[] = [];
    let before: string | null = null;
    do {
      const query: string = `type=Voted&limit=7${before ? `&before=${before}` : ''}`;
      const page = await call(app.baseUrl, 'GET', `/ops/events?${query}`, undefined, asApi);
      seen.push(...eventsOf(page.body).map((e) => e.position));
      before = page.body.next as string | null;
    } while (before !== null);
    expect(seen).toEqual(eventsOf(votes.body).map((e) => e.position));
  });

  it('refuses bad filters with 400 validation_failed naming each field', async () => {
    const cases: [string, string[]][] = [
      ['limit=0', ['limit']],
      ['limit=101', ['limit']],
      ['limit=ten', ['limit']],
      ['before=-1', ['before']],
      ['before=0', ['before']],
      ['before=99999999999999999999', ['before']],
      ['type=Vote%20Cast', ['type']],
      ['type=', ['type']],
      ['type=a&type=b', ['type']],
      [`stream=${'s'.repeat(300)}`, ['stream']],
      ['stream=%00', ['stream']],
      ['streams=x', ['streams']],
      ['limit=0&type=!', ['type', 'limit']],
    ];
    for (const [query, fields] of cases) {
      const answer = await call(app.baseUrl, 'GET', `/ops/events?${query}`, undefined, asApi);
      expect({ query, status: answer.status, error: answer.body.error }).toEqual({
        query,
        status: 400,
        error: 'validation_failed',
      });
      const named = (answer.body.details as { field: string }[]).map((d) => d.field);
      expect({ query, named: named.sort() }).toEqual({ query, named: [...fields].sort() });
    }
  });
});
