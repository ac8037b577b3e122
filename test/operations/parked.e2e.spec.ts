import { runCli, jsonOf } from '../support/cli-process';
import { admin, call, startHttpApp, type HttpApp } from '../support/http-app';
import { appendUnchecked, vote } from '../support/poison-events';
import { TEST_TIME } from '../support/poll-events';
import { until } from '../support/projection-harness';
import { parsePrometheusText, samplesOf, type Exposition } from '../support/prometheus-text';

const scrape = async (baseUrl: string): Promise<Exposition> =>
  parsePrometheusText(await (await fetch(`${baseUrl}/metrics`)).text());

interface Parked {
  position: string;
  type: string;
  error: string;
  attempts: number;
}

describe('parked events through the API, the CLI and /metrics', () => {
  let app: HttpApp;
  beforeAll(async () => {
    app = await startHttpApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const votes = async (): Promise<Record<string, number>> => {
    const reply = await call(app.baseUrl, 'GET', '/polls/z1');
    return Object.fromEntries(
      (reply.body.options as { optionId: string; votes: number }[]).map((o) => [
        o.optionId,
        o.votes,
      ]),
    );
  };

  it('lists, counts, retries and discards what poll-counts parked, and the projection stays live', async () => {
    const options = [
      { optionId: 'a', text: 'A' },
      { optionId: 'b', text: 'B' },
    ];
    const pool = app.db.pool;
    await appendUnchecked(pool, 'poll-z1', 'PollOpened', {
      pollId: 'z1',
      title: 'Z',
      options,
      openedAt: TEST_TIME,
    });
    await appendUnchecked(pool, 'ballot-z1|g1', 'Voted', vote('z1', 'g1', 'a'));
    const noOption = vote('z1', 'm1', 'a');
    delete noOption.optionId;
    const missing = await appendUnchecked(pool, 'ballot-z1|m1', 'Voted', noOption);
    await appendUnchecked(pool, 'ballot-z1|g2', 'Voted', vote('z1', 'g2', 'b'));
    const nullData = await appendUnchecked(pool, 'ballot-z1|n1', 'Voted', null);
    // Well-formed, but the fold's upsert touches one row twice: PostgreSQL refuses it.
    const duplicate = await appendUnchecked(pool, 'poll-z2', 'PollOpened', {
      pollId: 'z2',
      title: 'twice a',
      options: [options[0], options[0]],
      openedAt: TEST_TIME,
    });
    await appendUnchecked(pool, 'ballot-z1|g3', 'Voted', vote('z1', 'g3', 'a'));

    await until(
      async () => {
        const list = await call(app.baseUrl, 'GET', '/projections');
        const status = (
          list.body as unknown as { name: string; lagEvents: number; parkedEvents: number }[]
        ).find((p) => p.name === 'poll-counts');
        return status?.lagEvents === 0 && status.parkedEvents === 3;
      },
      'poll-counts to pass the poison',
      { timeoutMs: 20_000 },
    );
    expect(await votes()).toEqual({ a: 2, b: 1 });
    const projections = await call(app.baseUrl, 'GET', '/projections');
    expect(
      (projections.body as unknown as { name: string; status: string }[]).find(
        (p) => p.name === 'poll-counts',
      )?.status,
    ).toBe('live');

    // HTTP: admin only.
    expect((await call(app.baseUrl, 'GET', '/projections/poll-counts/parked')).status).toBe(401);
    expect(
      (await call(app.baseUrl, 'GET', '/projections/nope/parked', undefined, admin)).status,
    ).toBe(404);
    const listed = await call(
      app.baseUrl,
      'GET',
      '/projections/poll-counts/parked',
      undefined,
      admin,
    );
    expect(listed.status).toBe(200);
    const parked = listed.body.parked as Parked[];
    expect(parked.map((p) => p.position)).toEqual([missing, nullData, duplicate].map(String));
    expect(parked[2]).toMatchObject({ type: 'PollOpened', attempts: 1 });
    expect(parked[2]!.error).toMatch(
      /^fold failed: ON CONFLICT DO UPDATE command cannot affect row a second time/,
    );

    // CLI, as a process.
    const cli = jsonOf<Parked[]>(
      await runCli(['projections', 'parked', 'poll-counts', '--json'], app.db.url),
    );
    expect(cli.map((p) => p.position)).toEqual(parked.map((p) => p.position));
    const table = await runCli(['projections', 'parked'], app.db.url);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/projection\s+position\s+stream/);
    expect(table.stdout).toContain('malformed Voted: data must be an object');

    // /metrics: the counter and the gauge.
    const metrics = await scrape(app.baseUrl);
    expect(metrics.types.get('tally_projection_parked_events_total')).toBe('counter');
    expect(
      samplesOf(metrics, 'tally_projection_parked_events_total', { projection: 'poll-counts' })[0]
        ?.value,
    ).toBe(3);
    expect(
      samplesOf(metrics, 'tally_projection_parked_events', { projection: 'poll-counts' })[0]?.value,
    ).toBe(3);

    // Repair the vote in the log; retry it alone over HTTP.
    await pool.query(
      `UPDATE tally_events SET data = data || '{"optionId":"b"}' WHERE position = $1`,
      [missing.toString()],
    );
    const retried = await call(
      app.baseUrl,
      'POST',
      '/projections/poll-counts/parked/retry',
      { position: missing.toString() },
      admin,
    );
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({
      name: 'poll-counts',
      folded: [missing.toString()],
      stillParked: [],
    });
    expect(await votes()).toEqual({ a: 2, b: 2 });

    // Retry the rest through the CLI: still failing, attempts + 1, exit code 1.
    const again = await runCli(['projections', 'retry', 'poll-counts', '--json'], app.db.url);
    expect(again.code).toBe(1);
    const result = jsonOf<{ folded: string[]; stillParked: Parked[] }>(again);
    expect(result.folded).toEqual([]);
    expect(result.stillParked.map((p) => [p.position, p.attempts])).toEqual([
      [nullData.toString(), 2],
      [duplicate.toString(), 2],
    ]);

    // Repair the poll's options; the CLI retries it by position.
    await pool.query(
      `UPDATE tally_events SET data = jsonb_set(data, '{options,1}', '{"optionId":"b","text":"B"}') WHERE position = $1`,
      [duplicate.toString()],
    );
    const fixed = await runCli(
      ['projections', 'retry', 'poll-counts', '--position', duplicate.toString()],
      app.db.url,
    );
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toContain('1 folded');
    expect((await call(app.baseUrl, 'GET', '/polls/z2')).status).toBe(200);

    // Discard the null vote over HTTP (no body: all that remain).
    const discarded = await call(
      app.baseUrl,
      'POST',
      '/projections/poll-counts/parked/discard',
      undefined,
      admin,
    );
    expect(discarded.body).toEqual({ name: 'poll-counts', discarded: [nullData.toString()] });
    const empty = await runCli(['projections', 'parked', '--json'], app.db.url);
    expect(jsonOf<Parked[]>(empty)).toEqual([]);
    const after = await scrape(app.baseUrl);
    expect(
      samplesOf(after, 'tally_projection_parked_events_total', { projection: 'poll-counts' })[0]
        ?.value,
    ).toBe(3);
    expect(
      samplesOf(after, 'tally_projection_parked_events', { projection: 'poll-counts' })[0]?.value,
    ).toBe(0);
    const bad = await call(
      app.baseUrl,
      'POST',
      '/projections/poll-counts/parked/retry',
      { position: -1 },
      admin,
    );
    expect(bad.status).toBe(400);
  });
});
