import { ADMIN_TOKEN, call, startHttpApp, type HttpApp } from '../support/http-app';
import { followLive } from '../support/sse';

const API_TOKEN = 'test-api-token';
const as = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

describe('authentication with TALLY_API_TOKEN set', () => {
  let app: HttpApp;
  beforeAll(async () => {
    app = await startHttpApp({ TALLY_API_TOKEN: API_TOKEN });
  });
  afterAll(async () => {
    await app.close();
  });

  let position = '0';
  const poll = { pollId: 'auth-poll', title: 'Auth?', options: ['yes', 'no'] };

  it('refuses a command without a token, or with a wrong one, and appends nothing', async () => {
    expect(await call(app.baseUrl, 'POST', '/polls', poll)).toMatchObject({
      status: 401,
      body: { error: 'unauthorized' },
    });
    expect(await call(app.baseUrl, 'POST', '/polls', poll, as('not-the-token'))).toMatchObject({
      status: 401,
      body: { error: 'unauthorized' },
    });
    expect(await app.store.headPosition()).toBe(0n);
  });

  it('takes a command with the API token or the admin token', async () => {
    expect((await call(app.baseUrl, 'POST', '/polls', poll, as(API_TOKEN))).status).toBe(201);
    const vote = { voterId: 'v1', optionId: 'o1' };
    const voted = await call(app.baseUrl, 'POST', '/polls/auth-poll/votes', vote, as(ADMIN_TOKEN));
    expect(voted.status).toBe(200);
    position = String(voted.body.position);
  });

  it('keeps reads behind the token too', async () => {
    expect((await call(app.baseUrl, 'GET', '/polls/auth-poll')).status).toBe(401);
    expect(
      (
        await call(
          app.baseUrl,
          'GET',
          `/polls/auth-poll?minPosition=${position}`,
          undefined,
          as(API_TOKEN),
        )
      ).status,
    ).toBe(200);
  });

  it('answers the API token 403 on admin routes, whether the route or its controller says admin', async () => {
    for (const [method, path] of [
      ['POST', '/polls/auth-poll/close'],
      ['POST', '/projections/poll-counts/rebuild'],
      ['GET', '/projections/poll-counts/parked'],
    ] as const) {
      expect(await call(app.baseUrl, method, path, undefined, as(API_TOKEN))).toMatchObject({
        status: 403,
        body: { error: 'forbidden' },
      });
      expect((await call(app.baseUrl, method, path)).status).toBe(401);
    }
    expect(
      (
        await call(
          app.baseUrl,
          'GET',
          '/projections/poll-counts/parked',
          undefined,
          as(ADMIN_TOKEN),
        )
      ).status,
    ).toBe(200);
  });

  it('leaves probes, the OpenAPI document and unknown routes open', async () => {
    expect((await call(app.baseUrl, 'GET', '/health/live')).status).toBe(200);
    expect((await call(app.baseUrl, 'GET', '/docs/json')).status).toBe(200);
    expect(await call(app.baseUrl, 'GET', '/no/such/route')).toMatchObject({
      status: 404,
      body: { error: 'not_found' },
    });
  });
  describe('the token as an access_token query parameter (browsers: EventSource, the ops page)', () => {
    const q = (token: string): string => `access_token=${encodeURIComponent(token)}`;

    it('is taken on a GET, API or admin token, with or without other parameters', async () => {
      expect((await call(app.baseUrl, 'GET', `/polls/auth-poll?${q(API_TOKEN)}`)).status).toBe(200);
      expect(
        (
          await call(
            app.baseUrl,
            'GET',
            `/polls/auth-poll?minPosition=${position}&${q(ADMIN_TOKEN)}`,
          )
        ).status,
      ).toBe(200);
      expect((await call(app.baseUrl, 'GET', `/ops/status?${q(API_TOKEN)}`)).status).toBe(200);
      expect(
        (await call(app.baseUrl, 'GET', `/projections/poll-counts/parked?${q(ADMIN_TOKEN)}`))
          .status,
      ).toBe(200);
    });

    it('answers a wrong, empty or repeated one as it answers the header: 401, and the API token on an admin GET 403', async () => {
      for (const query of [q('not-the-token'), 'access_token=', `${q(API_TOKEN)}&${q(API_TOKEN)}`])
        expect(await call(app.baseUrl, 'GET', `/polls/auth-poll?${query}`)).toMatchObject({
          status: 401,
          body: { error: 'unauthorized' },
        });
      expect(
        await call(app.baseUrl, 'GET', `/projections/poll-counts/parked?${q(API_TOKEN)}`),
      ).toMatchObject({ status: 403, body: { error: 'forbidden' } });
      expect(
        (await call(app.baseUrl, 'GET', `/projections/poll-counts/parked?${q('nope')}`)).status,
      ).toBe(401);
    });

    it('counts the header, not the parameter, when a request sends both', async () => {
      const path = `/polls/auth-poll?${q(API_TOKEN)}`;
      expect((await call(app.baseUrl, 'GET', path, undefined, as('wrong'))).status).toBe(401);
      const good = `/polls/auth-poll?${q('wrong')}`;
      expect((await call(app.baseUrl, 'GET', good, undefined, as(API_TOKEN))).status).toBe(200);
    });

    it('is refused on commands (401, nothing appended), the admin token included', async () => {
      const head = await app.store.headPosition();
      const vote = { voterId: 'v2', optionId: 'o1' };
      const voted = await call(app.baseUrl, 'POST', `/polls/auth-poll/votes?${q(API_TOKEN)}`, vote);
      expect(voted).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
      expect(String(voted.body.message)).toMatch(/GET only/);
      for (const token of [API_TOKEN, ADMIN_TOKEN]) {
        expect(
          (await call(app.baseUrl, 'POST', `/projections/poll-counts/rebuild?${q(token)}`)).status,
        ).toBe(401);
        expect(
          (await call(app.baseUrl, 'DELETE', `/polls/auth-poll/votes/v1?${q(token)}`)).status,
        ).toBe(401);
      }
      expect(await app.store.headPosition()).toBe(head);
    });

    it('opens a poll live stream (EventSource cannot send headers)', async () => {
      expect((await call(app.baseUrl, 'GET', '/polls/auth-poll/live')).status).toBe(401);
      const abort = new AbortController();
      const seen = followLive(
        `${app.baseUrl}/polls/auth-poll/live?${q(API_TOKEN)}`,
        (changes) => changes.some((c) => c.optionId === 'o2' && c.votes === 1),
        abort.signal,
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      const vote = { voterId: 'v1', optionId: 'o2' };
      expect(
        (await call(app.baseUrl, 'POST', '/polls/auth-poll/votes', vote, as(API_TOKEN))).status,
      ).toBe(200);
      const changes = await seen;
      abort.abort();
      // v1 moved from o1: both options change in that batch, in no set order.
      expect(changes.filter((c) => c.optionId === 'o2').at(-1)).toMatchObject({
        pollId: 'auth-poll',
        votes: 1,
      });
    });

    it('serves the ops page shell without a token, and keeps its data behind it', async () => {
      const page = await fetch(`${app.baseUrl}/ops`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('id="token-form"');
      expect((await call(app.baseUrl, 'GET', '/ops/status')).status).toBe(401);
    });
  });
});
