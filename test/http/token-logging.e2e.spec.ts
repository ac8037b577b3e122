import { allMigrations } from '../../apps/shared/src/all-migrations';
import { freePort } from '../support/free-port';
import { cleanEnv, startService, type ServiceProcess } from '../support/service-process';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const API_TOKEN = 'api-token-that-must-not-be-logged';
const ADMIN_TOKEN = 'admin-token-that-must-not-be-logged';
const WRONG_TOKEN = 'wrong-token-that-must-not-be-logged';

describe('tokens sent as access_token never reach the logs (the built API, every line at trace)', () => {
  let db: TestDatabase;
  let api: ServiceProcess;
  beforeAll(async () => {
    db = await createTestDatabase(allMigrations());
    const port = await freePort();
    api = await startService(
      'apps/api/src/main.js',
      cleanEnv({
        DATABASE_URL: db.url,
        PORT: String(port),
        LOG_LEVEL: 'trace',
        TALLY_ACCESS_LOG: 'on',
        TALLY_API_TOKEN: API_TOKEN,
        TALLY_ADMIN_TOKEN: ADMIN_TOKEN,
      }),
      port,
    );
  }, 120_000);
  afterAll(async () => {
    await api?.stop();
    await db?.drop();
  });

  it('logs the requests, not the tokens: accepted, refused, malformed, streamed', async () => {
    const opened = await fetch(`${api.baseUrl}/polls`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${API_TOKEN}` },
      body: JSON.stringify({ pollId: 'logged', title: 'Logged', options: ['a', 'b'] }),
    });
    expect(opened.status).toBe(201);
    const { position } = (await opened.json()) as { position: string };
    const at = (token: string): string => `access_token=${token}`;
    const answers: [string, string, number][] = [
      ['GET', `/polls/logged?minPosition=${position}&${at(API_TOKEN)}`, 200],
      ['HEAD', `/polls/logged?${at(API_TOKEN)}`, 200],
      ['GET', `/ops/status?${at(ADMIN_TOKEN)}`, 200],
      ['GET', `/polls/logged?access%5Ftoken=${API_TOKEN}`, 200],
      ['GET', `/polls/logged?${at(WRONG_TOKEN)}`, 401],
      ['GET', `/projections/poll-counts/parked?${at(API_TOKEN)}`, 403],
      ['POST', `/polls/logged/close?${at(ADMIN_TOKEN)}`, 401],
      ['GET', `/polls/logged?minPosition=soon&${at(API_TOKEN)}`, 400],
      ['GET', `/polls/%ZZ?${at(API_TOKEN)}`, 400],
      ['GET', `/no/such/route?${at(API_TOKEN)}`, 404],
    ];
    for (const [method, path, status] of answers) {
      const response = await fetch(api.baseUrl + path, { method });
      await response.arrayBuffer();
      expect(`${method} ${path} ${response.status}`).toBe(`${method} ${path} ${status}`);
    }
    const live = new AbortController();
    const stream = await fetch(`${api.baseUrl}/polls/logged/live?${at(API_TOKEN)}`, {
      signal: live.signal,
    });
    expect(stream.status).toBe(200);
    live.abort();

    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await api.stop()).toBe(0);
    const output = api.output();
    // The lines are there (the access log names each path)...
    expect(output).toContain('"path":"/polls/logged"');
    expect(output).toContain('"path":"/polls/logged","status":401');
    expect(output).toContain('"path":"/ops/status","status":200');
    // A URL Fastify cannot decode and a live stream its client closed get their lines too.
    expect(output).toMatch(/"path":"\/polls\/%ZZ","status":400/);
    expect(output).toMatch(
      /"path":"\/polls\/logged\/live","status":200,"ms":[\d.]+,"unfinished":true/,
    );
    // ...and no token, right or wrong, in any of them.
    for (const token of [API_TOKEN, ADMIN_TOKEN, WRONG_TOKEN]) expect(output).not.toContain(token);
  }, 60_000);
});
