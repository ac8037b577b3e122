import { call, startHttpApp, type HttpApp } from '../support/http-app';
import { followLive, type LiveChange } from '../support/sse';

const maxPosition = (replies: { body: Record<string, unknown> }[]): string =>
  replies
    .map((r) => BigInt(String(r.body.position)))
    .reduce((a, b) => (a > b ? a : b), 0n)
    .toString();

describe('poll reads: counts through minPosition, and live updates', () => {
  let app: HttpApp;
  beforeAll(async () => {
    app = await startHttpApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('300 concurrent voters, 100 of whom change their vote → the read model counts exactly, read through minPosition', async () => {
    await call(app.baseUrl, 'POST', '/polls', {
      pollId: 'r1',
      title: 'T',
      options: ['a', 'b', 'c'],
    });
    const votes = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        call(app.baseUrl, 'POST', '/polls/r1/votes', { voterId: `v${i}`, optionId: 'o1' }),
      ),
    );
    const changes = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        call(app.baseUrl, 'POST', '/polls/r1/votes', {
          voterId: `v${i}`,
          optionId: i % 2 ? 'o2' : 'o3',
        }),
      ),
    );
    const at = maxPosition([...votes, ...changes]);
    const read = await call(app.baseUrl, 'GET', `/polls/r1?minPosition=${at}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      pollId: 'r1',
      title: 'T',
      closed: false,
      totalVotes: 300,
      options: [
        { optionId: 'o1', text: 'a', votes: 200 },
        { optionId: 'o2', text: 'b', votes: 50 },
        { optionId: 'o3', text: 'c', votes: 50 },
      ],
    });
    expect(BigInt(String(read.body.position)) >= BigInt(at)).toBe(true);
  });

  it('a minPosition the projection never reaches → 503 projection_behind after 5 s; a malformed one → 400', async () => {
    const far = (2n ** 62n).toString();
    expect(await call(app.baseUrl, 'GET', `/polls/r1?minPosition=${far}`)).toMatchObject({
      status: 503,
      body: { error: 'projection_behind' },
    });
    expect(await call(app.baseUrl, 'GET', '/polls/r1?minPosition=abc')).toMatchObject({
      status: 400,
      body: { error: 'validation_failed' },
    });
  }, 20_000);

  it('an unknown poll → 404 poll_not_found', async () => {
    expect(await call(app.baseUrl, 'GET', '/polls/nope')).toMatchObject({
      status: 404,
      body: { error: 'poll_not_found' },
    });
  });

  it('a live client sees counts that never go down during a vote-only load and end at the exact total', async () => {
    const opened = await call(app.baseUrl, 'POST', '/polls', {
      pollId: 'live1',
      title: 'Live',
      options: ['x', 'y'],
    });
    const abort = new AbortController();
    const seen = followLive(
      `${app.baseUrl}/polls/live1/live?minPosition=${String(opened.body.position)}`,
      (changes) =>
        changes.some(
          (c) =>
            c.totalVotes === 400 && lastVotes(changes, 'o1') + lastVotes(changes, 'o2') === 400,
        ),
      abort.signal,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    await Promise.all(
      Array.from({ length: 400 }, (_, i) =>
        call(app.baseUrl, 'POST', '/polls/live1/votes', {
          voterId: `v${i}`,
          optionId: i % 4 ? 'o1' : 'o2',
        }),
      ),
    );
    const changes = await seen;
    abort.abort();
    for (const option of ['o1', 'o2']) {
      const counts = changes.filter((c) => c.optionId === option).map((c) => c.votes);
      expect(counts).toEqual([...counts].sort((a, b) => a - b));
    }
    const positions = changes.map((c) => BigInt(c.position));
    expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(lastVotes(changes, 'o1')).toBe(300);
    expect(lastVotes(changes, 'o2')).toBe(100);
  });
});

function lastVotes(changes: LiveChange[], optionId: string): number {
  return changes.filter((c) => c.optionId === optionId).at(-1)?.votes ?? 0;
}
