import { admin, call, startHttpApp, type HttpApp } from '../support/http-app';
import { hostileCases } from './hostile-input.cases';

describe(`hostile input: ${hostileCases.length} requests get the contract's 4xx and change nothing`, () => {
  let app: HttpApp;
  let stored: number;
  const countEvents = async (): Promise<number> =>
    Number(
      (await app.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM tally_events')).rows[0]?.n,
    );

  beforeAll(async () => {
    app = await startHttpApp();
    const fixtures = await Promise.all([
      call(app.baseUrl, 'POST', '/items', { sku: 'fx', name: 'Fixture', stock: 5 }, admin),
      call(app.baseUrl, 'POST', '/polls', {
        pollId: 'fxpoll',
        title: 'Fixture',
        options: ['a', 'b'],
      }),
      call(app.baseUrl, 'POST', '/threads', { threadId: 'fxthread', title: 'Fixture' }),
    ]);
    expect(fixtures.map((f) => f.status)).toEqual([201, 201, 201]);
    // Counted, not compared by head position: the visible head also waits on other tests' transactions.
    stored = await countEvents();
  });

  afterAll(async () => {
    await app.close();
  });

  it('has at least 40 cases', () => {
    expect(hostileCases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(hostileCases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const reply = await call(app.baseUrl, c.method, c.path, c.body, c.headers ?? {});
    expect({ status: reply.status, error: reply.body.error }).toEqual({
      status: c.status,
      error: c.error,
    });
    expect(typeof reply.body.message).toBe('string');
    if (c.error === 'validation_failed') expect(Array.isArray(reply.body.details)).toBe(true);
  });

  it('appended nothing', async () => {
    expect(await countEvents()).toBe(stored);
  });
});
