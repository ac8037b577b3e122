import type { ProjectionStatus } from '../../libs/ops/src';
import { call, startHttpApp, type HttpApp } from '../support/http-app';
import { until } from '../support/projection-harness';

const VOTES_PER_SECOND = 300;
const LOAD_SECONDS = 5;
const TICK_MS = 100;

const statusOf = async (app: HttpApp, name: string): Promise<ProjectionStatus> => {
  const rows = (await call(app.baseUrl, 'GET', '/projections'))
    .body as unknown as ProjectionStatus[];
  const row = rows.find((r) => r.name === name);
  if (!row) throw new Error(`no status for ${name}`);
  return row;
};

/** Votes at a steady rate: a tick's worth sent together every TICK_MS; resolves when all answered. */
async function steadyVotes(app: HttpApp, pollId: string, optionId: string): Promise<number[]> {
  const perTick = (VOTES_PER_SECOND * TICK_MS) / 1000;
  const sent: Promise<number>[] = [];
  for (let tick = 0; tick < (LOAD_SECONDS * 1000) / TICK_MS; tick++) {
    for (let i = 0; i < perTick; i++) {
      const voterId = `s${tick}-${i}`;
      sent.push(
        call(app.baseUrl, 'POST', `/polls/${pollId}/votes`, { voterId, optionId }).then(
          (r) => r.status,
        ),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  return Promise.all(sent);
}

describe('projection status: live under a steady load, lag of its own event types only', () => {
  describe('with the projector in the API', () => {
    let app: HttpApp;
    beforeAll(async () => {
      app = await startHttpApp();
    });
    afterAll(async () => {
      await app.close();
    });

    it(`stays live at ${VOTES_PER_SECOND} votes/s for ${LOAD_SECONDS} s, and shows its rate`, async () => {
      const opened = await call(app.baseUrl, 'POST', '/polls', {
        pollId: 'steady',
        title: 'Steady',
        options: ['a', 'b'],
      });
      const optionId = (opened.body.options as { optionId: string }[])[0]!.optionId;
      // The projector has started and folded the poll: what follows measures the load only.
      await until(async () => (await statusOf(app, 'poll-counts')).lagEvents === 0, 'poll folded');
      let loading = true;
      const load = steadyVotes(app, 'steady', optionId).finally(() => (loading = false));
      const samples: ProjectionStatus[] = [];
      await new Promise((resolve) => setTimeout(resolve, 500));
      while (loading) {
        samples.push(await statusOf(app, 'poll-counts'));
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const statuses = await load;
      expect(statuses.filter((s) => s !== 200)).toEqual([]);
      expect(samples.length).toBeGreaterThan(8);
      // Most samples catch events in flight (the projection a batch or two behind): live still.
      expect(samples.filter((s) => s.lagEvents > 0).length).toBeGreaterThan(0);
      expect(samples.map((s) => [s.status, s.lagSeconds < 2])).toEqual(
        samples.map(() => ['live', true]),
      );
      const last = samples[samples.length - 1]!;
      expect(last.eventsPerSecond).toBeGreaterThan(VOTES_PER_SECOND / 4);
      // Contract fields unchanged beside the new one.
      expect(Object.keys(last)).toEqual(
        expect.arrayContaining([
          'name',
          'position',
          'headPosition',
          'lagEvents',
          'lagSeconds',
          'status',
          'eventsPerSecond',
        ]),
      );
      // Nobody else's types moved: their rate stays 0.
      expect((await statusOf(app, 'thread-stats')).eventsPerSecond).toBe(0);
    });
  });

  describe('with no projector running', () => {
    let app: HttpApp;
    beforeAll(async () => {
      app = await startHttpApp({ TALLY_PROJECTOR: 'off' });
    });
    afterAll(async () => {
      await app.close();
    });

    it("events of other types do not raise a projection's lag; its own do", async () => {
      for (let t = 0; t < 3; t++) {
        const thread = await call(app.baseUrl, 'POST', '/threads', { title: `T${t}` });
        expect(thread.status).toBe(201);
        const threadId = String(thread.body.threadId);
        for (let p = 0; p < 4; p++) {
          const post = await call(app.baseUrl, 'POST', `/threads/${threadId}/posts`, {
            authorId: 'a',
            body: 'hello',
          });
          expect(post.status).toBe(201);
        }
      }
      const polls = await statusOf(app, 'poll-counts');
      expect(polls).toMatchObject({ lagEvents: 0, lagSeconds: 0, status: 'live' });
      expect(polls.headPosition).not.toBe('0');
      expect(await statusOf(app, 'thread-stats')).toMatchObject({ position: '0', lagEvents: 15 });
      // Past the live bound (2 s) with no commit, thread-stats is no longer live; polls still are.
      await until(
        async () => (await statusOf(app, 'thread-stats')).status !== 'live',
        'thread-stats behind',
        { timeoutMs: 10_000, intervalMs: 200 },
      );
      expect((await statusOf(app, 'poll-counts')).status).toBe('live');
    });
  });
});
