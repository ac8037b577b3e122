import { Pool } from 'pg';
import { Projector } from '../../libs/projections/src';
import { PostgresEventStore } from '../../libs/event-store/src';
import { allProjections } from '../../projections';
import { LivePollHub } from '../../apps/api/src/polls/live-poll-hub';
import { ProjectionPositions } from '../../apps/api/src/read-side/projection-positions';
import { until } from '../support/projection-harness';
import { LiveClient } from '../../bench/lib/live-client';
import { call, startHttpApp, type HttpApp } from '../support/http-app';

/** Opens a poll and waits until its read side has it (live streams need the poll). */
async function openPoll(app: HttpApp, pollId: string, options = 3): Promise<void> {
  const opened = await call(app.baseUrl, 'POST', '/polls', {
    pollId,
    title: pollId,
    options: Array.from({ length: options }, (_, i) => `option ${i + 1}`),
  });
  expect(opened.status).toBe(201);
  const read = await call(
    app.baseUrl,
    'GET',
    `/polls/${pollId}?minPosition=${String(opened.body.position)}`,
  );
  expect(read.status).toBe(200);
}

/**
 * `count` votes spread over `polls` (of `options` options), 32 at a time, by 400 voters who
 * change their minds from one round to the next.
 */
async function vote(
  app: HttpApp,
  polls: string[],
  count: number,
  { round = 0, options = 3 } = {},
): Promise<bigint> {
  let next = 0;
  let last = 0n;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < count) {
        const i = next++;
        const pollId = polls[i % polls.length]!;
        const optionId = `o${((Math.floor(i / polls.length) + round) % options) + 1}`;
        const body = { voterId: `v${i % 400}`, optionId };
        const reply = await call(app.baseUrl, 'POST', `/polls/${pollId}/votes`, body);
        expect(reply.status).toBe(200);
        const position = BigInt(String(reply.body.position));
        if (position > last) last = position;
      }
    }),
  );
  return last;
}

/** Every follower ends at the counts a read at the last vote's position gives. */
async function expectFollowersExact(
  app: HttpApp,
  clients: Map<string, LiveClient[]>,
  lastVote: bigint,
): Promise<void> {
  for (const [pollId, followers] of clients) {
    const view = await call(app.baseUrl, 'GET', `/polls/${pollId}?minPosition=${String(lastVote)}`);
    expect(view.status).toBe(200);
    const expected = (view.body.options as { optionId: string; votes: number }[]).map((o) => [
      o.optionId,
      o.votes,
    ]);
    await until(
      () =>
        Promise.resolve(
          followers.every((c) =>
            expected.every(([optionId, votes]) => c.votes(String(optionId)) === votes),
          ),
        ),
      `followers of ${pollId} reach ${JSON.stringify(expected)}`,
      { timeoutMs: 10_000 },
    );
    for (const client of followers) {
      for (const [optionId] of expected) {
        const seen = client.changes.filter((c) => c.optionId === optionId);
        const positions = seen.map((c) => BigInt(c.position));
        expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      }
    }
  }
}

async function follow(
  app: HttpApp,
  polls: string[],
  perPoll: number,
): Promise<Map<string, LiveClient[]>> {
  const clients = new Map<string, LiveClient[]>();
  for (const pollId of polls) {
    const followers = Array.from({ length: perPoll }, () => new LiveClient());
    await Promise.all(followers.map((c) => c.open(app.baseUrl, pollId)));
    clients.set(pollId, followers);
  }
  return clients;
}

const closeAll = (clients: Map<string, LiveClient[]>): void => {
  for (const followers of clients.values()) for (const c of followers) c.close();
};

describe('live polls: one hub per process, fan-out per changed poll', () => {
  let app: HttpApp;
  afterEach(async () => app?.close());

  it('600 followers of 3 polls all end exact; the in-process projector batches need no reads', async () => {
    app = await startHttpApp();
    const polls = ['fan1', 'fan2', 'fan3'];
    for (const pollId of polls) await openPoll(app, pollId);
    const hub = app.nest.get(LivePollHub);
    const clients = await follow(app, polls, 200);
    expect(hub.snapshot().open).toBe(600);
    const readsBefore = hub.snapshot().reads;
    const last = await vote(app, polls, 900);
    await expectFollowersExact(app, clients, last);
    // One read per follower per commit would be thousands; a read happens only when the
    // checkpoint poller hears of a commit before the projector's own report of it.
    expect(hub.snapshot().reads - readsBefore).toBeLessThan(20);
    closeAll(clients);
    await until(() => Promise.resolve(hub.snapshot().open === 0), 'streams closed', {
      timeoutMs: 5000,
    });
  });

  it('with the projector in another process, followers end exact at one read per checkpoint move', async () => {
    app = await startHttpApp({ TALLY_PROJECTOR: 'off' });
    const pool = new Pool({ connectionString: app.db.url, max: 4 });
    const store = new PostgresEventStore({ pool, url: app.db.url });
    const projector = new Projector({ pool, store, projections: allProjections });
    await projector.start();
    try {
      const polls = ['ext1', 'ext2'];
      for (const pollId of polls) await openPoll(app, pollId);
      const hub = app.nest.get(LivePollHub);
      const clients = await follow(app, polls, 100);
      const readsBefore = hub.snapshot().reads;
      const last = await vote(app, polls, 600);
      await expectFollowersExact(app, clients, last);
      const positions = new Set(clients.get('ext1')![0]!.changes.map((c) => c.position));
      // Shared reads: no more than the checkpoint moves the followers saw (plus a few empty ones).
      expect(hub.snapshot().reads - readsBefore).toBeLessThan(positions.size * 3 + 20);
      expect(hub.snapshot().reads - readsBefore).toBeGreaterThan(0);
      closeAll(clients);
    } finally {
      await projector.stop();
      await store.close();
      await pool.end();
    }
  });

  it('a follower that does not read is dropped; the others get every message', async () => {
    app = await startHttpApp({ TALLY_SSE_MAX_BUFFER_KB: '32', TALLY_SSE_FLUSH_MS: '0' });
    const pollId = `slow-${'x'.repeat(59)}`;
    await openPoll(app, pollId, 20);
    const hub = app.nest.get(LivePollHub);
    const positions = app.nest.get(ProjectionPositions);
    const reader = new LiveClient();
    await reader.open(app.baseUrl, pollId);
    const stalled = new LiveClient();
    await stalled.open(app.baseUrl, pollId);
    stalled.pause();
    // Votes come in batches of a few messages: filling the kernel's socket buffers that way
    // takes minutes. Batches are reported the way the in-process projector reports them,
    // far past the real log, each moving all 20 options.
    const far = 1n << 40n;
    let batch = 0;
    while (hub.snapshot().dropped === 0 && batch < 100_000) {
      for (let k = 0; k < 2; k += 1, batch += 1) {
        const changes = Array.from({ length: 20 }, (_, o) => ({
          key: pollId,
          value: { pollId, optionId: `o${o + 1}`, votes: batch + 1, totalVotes: 20 * (batch + 1) },
        }));
        positions.committed('poll-counts', 0n, far + BigInt(batch), changes);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(hub.snapshot().dropped).toBe(1);
    stalled.resume(); // reading again, it finds its stream ended: cut off, not left hanging
    await until(() => Promise.resolve(stalled.ended), 'stalled stream cut', { timeoutMs: 5000 });
    expect(hub.snapshot().open).toBe(1);
    await until(
      () => Promise.resolve(reader.changes.length === 20 + 20 * batch),
      `reader gets all ${20 + 20 * batch} messages`,
      { timeoutMs: 30_000 },
    );
    expect(reader.votes('o20')).toBe(batch);
    reader.close();
  });

  it('an unknown poll is 404 before any stream opens; shutting down ends every stream', async () => {
    app = await startHttpApp();
    expect((await call(app.baseUrl, 'GET', '/polls/none/live')).status).toBe(404);
    await openPoll(app, 'bye1');
    const clients = await follow(app, ['bye1'], 50);
    const closing = app.close();
    await until(
      () => Promise.resolve(clients.get('bye1')!.every((c) => c.ended)),
      'streams ended',
      {
        timeoutMs: 10_000,
      },
    );
    await closing;
    app = undefined as unknown as HttpApp;
  });
});
