import { ADMIN_TOKEN, call, startHttpApp, type HttpApp } from '../support/http-app';

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
});
