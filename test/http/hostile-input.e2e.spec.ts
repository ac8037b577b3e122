import { admin, call, startHttpApp, type HttpApp } from '../support/http-app';
import { sendRaw, type RawAnswer } from '../support/raw-http';
import { hostileCases } from './hostile-input.cases';
import { rawCases } from './hostile-input.raw.cases';

// What every read model shows of the fixtures: equal before and after, as the event count.
const READS = ['/polls/fxpoll', '/items/fx', '/threads/fxthread', '/posts/p1/reactions'];

function expectContractError(
  reply: { status: number | undefined; body: Record<string, unknown> },
  expected: { status: number; error: string },
): void {
  expect({ status: reply.status, error: reply.body.error }).toEqual({
    status: expected.status,
    error: expected.error,
  });
  expect(typeof reply.body.message).toBe('string');
  if (expected.error === 'validation_failed') expect(Array.isArray(reply.body.details)).toBe(true);
}

describe(`hostile input: ${hostileCases.length + rawCases.length} requests get the contract's 4xx and change nothing`, () => {
  let app: HttpApp;
  let stored: number;
  let reads: unknown[];
  const countEvents = async (): Promise<number> =>
    Number(
      (await app.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM tally_events')).rows[0]?.n,
    );
  const readAll = async (minPosition: string): Promise<unknown[]> =>
    Promise.all(
      READS.map(
        async (path) => (await call(app.baseUrl, 'GET', `${path}?minPosition=${minPosition}`)).body,
      ),
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
    const head = fixtures
      .map((f) => BigInt(f.body.position as string))
      .sort()
      .at(-1);
    reads = await readAll(String(head));
  });

  afterAll(async () => {
    await app.close();
  });

  it('has at least 200 cases', () => {
    expect(hostileCases.length + rawCases.length).toBeGreaterThanOrEqual(200);
  });

  it.each(hostileCases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const reply = await call(app.baseUrl, c.method, c.path, c.body, c.headers ?? {});
    expectContractError(reply, c);
    if (c.status === 405) expect(reply.headers.get('allow')).toMatch(/^[A-Z]+(, [A-Z]+)*$/);
  });

  it.each(rawCases.map((c) => [c.name, c] as const))('raw: %s', async (_, c) => {
    const answer = await sendRaw(app.baseUrl, c.parts, { gapMs: c.gapMs });
    expectContractError(answer, c);
    expect(answer.headers['set-cookie']).toBeUndefined();
  });

  it('200 malformed requests at once, each on its own socket: every one a clean 4xx', async () => {
    const quick = rawCases.filter((c) => c.gapMs === undefined);
    const cases = Array.from({ length: 200 }, (_, i) => quick[i % quick.length]!);
    const answers: RawAnswer[] = await Promise.all(
      cases.map((c) => sendRaw(app.baseUrl, c.parts, { timeoutMs: 30_000 })),
    );
    answers.forEach((answer, i) => expectContractError(answer, cases[i]!));
  });

  it('appended nothing and every read model shows what it showed before', async () => {
    expect(await countEvents()).toBe(stored);
    expect(await readAll('0')).toEqual(reads);
  });
});
