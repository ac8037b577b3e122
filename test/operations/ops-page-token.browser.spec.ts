import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Projector } from '../../libs/projections/src';
import { allProjections } from '../../projections';
import { ADMIN_TOKEN, call, startHttpApp, type HttpApp } from '../support/http-app';
import { appendUnchecked } from '../support/poison-events';
import { until } from '../support/projection-harness';

/** Debian's Chromium (apt-get install chromium); CHROMIUM_PATH overrides. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const API_TOKEN = 'browser-api-token';
const asApi = { authorization: `Bearer ${API_TOKEN}` };
const WAIT = { timeoutMs: 15_000, intervalMs: 200 };

const row = (page: Page, name: string, cell: string): Promise<string | null> =>
  page.locator(`#projections tr[data-projection="${name}"] td.${cell}`).textContent();

async function useToken(page: Page, token: string): Promise<void> {
  await page.fill('#token', token);
  await page.click('#token-form button[type="submit"]');
}

describe('the ops page with TALLY_API_TOKEN set, in a real headless Chromium', () => {
  let app: HttpApp;
  let browser: Browser;
  let page: Page;
  let projector: Projector | undefined;
  const errors: string[] = [];
  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (CI does)`);
    // The projector runs here, not in the API, so the test decides when the lag can grow.
    app = await startHttpApp({
      TALLY_API_TOKEN: API_TOKEN,
      TALLY_PROJECTOR: 'off',
      TALLY_OPS_LAG_SAMPLE_MS: '300',
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
  }, 120_000);
  afterAll(async () => {
    await projector?.stop();
    await browser?.close();
    await app?.close();
  });

  it('asks for the token, loads once given it, keeps it across a reload (this tab only), shows no admin actions to the API token', async () => {
    expect((await page.goto(`${app.baseUrl}/ops`))?.status()).toBe(200);
    expect(await page.locator('#token-form').isVisible()).toBe(true);
    await page.waitForSelector('#token-needed', { state: 'visible' });
    expect(await page.locator('#token-state').textContent()).toBe('this server needs a token');
    expect(await page.locator('#projections tbody tr').count()).toBe(0);

    await useToken(page, 'not-the-token');
    await until(
      async () => (await page.locator('#token-state').textContent()) === 'token refused',
      'refused',
      WAIT,
    );

    await useToken(page, API_TOKEN);
    await page.waitForSelector('#projections tbody tr');
    expect(await page.locator('#token-needed').isHidden()).toBe(true);
    expect(await page.locator('#token-state').textContent()).toMatch(/^API token/);
    expect(await page.locator('.action-rebuild').count()).toBe(allProjections.length);
    expect(await page.locator('.action-rebuild').first().isVisible()).toBe(false);
    expect(await page.locator('th.admin-only').isVisible()).toBe(false);

    await page.reload();
    await page.waitForSelector('#projections tbody tr');
    expect(await page.locator('#token-state').textContent()).toMatch(/^API token/);
    expect(page.url()).toBe(`${app.baseUrl}/ops`);
    expect(await page.evaluate('sessionStorage.length')).toBe(1);
  }, 60_000);

  it('draws the lag of the last hour again after a reload, from the server, with labelled statuses', async () => {
    const poll = await call(
      app.baseUrl,
      'POST',
      '/polls',
      { pollId: 'hist', title: 'H', options: ['a', 'b'] },
      asApi,
    );
    expect(poll.status).toBe(201);
    for (let i = 0; i < 60; i += 1) {
      const vote = { voterId: `h${i}`, optionId: 'o1' };
      expect((await call(app.baseUrl, 'POST', '/polls/hist/votes', vote, asApi)).status).toBe(200);
    }
    const status = await call(app.baseUrl, 'GET', '/projections', undefined, asApi);
    const lag = (status.body as unknown as { name: string; lagEvents: number }[]).find(
      (p) => p.name === 'poll-counts',
    )!.lagEvents;
    expect(lag).toBeGreaterThanOrEqual(61);
    await until(
      async () => Number(await row(page, 'poll-counts', 'lag-events')) === lag,
      `page shows lag ${lag}`,
      WAIT,
    );
    const behind = page.locator('#projections tr[data-projection="poll-counts"] td.status .badge');
    // Not live once its oldest waiting event is over 2 s old.
    await until(
      async () => /^(▲ catching up|■ stalled)$/.test((await behind.textContent()) ?? ''),
      'poll-counts shown behind',
      WAIT,
    );
    expect(await behind.getAttribute('title')).toBeTruthy();
    // The server has sampled it a few times.
    await until(
      async () => {
        const { body } = await call(app.baseUrl, 'GET', '/ops/lag-history', undefined, asApi);
        const series = (
          body.projections as { name: string; samples: { lagEvents: number }[] }[]
        ).find((p) => p.name === 'poll-counts');
        return (series?.samples.filter((s) => s.lagEvents === lag).length ?? 0) >= 2;
      },
      'server sampled the lag',
      WAIT,
    );

    projector = new Projector({ pool: app.db.pool, store: app.store, projections: allProjections });
    await projector.start();
    await until(
      async () => Number(await row(page, 'poll-counts', 'lag-events')) === 0,
      'lag back to 0',
      WAIT,
    );
    const live = page.locator('#projections tr[data-projection="poll-counts"] td.status .badge');
    expect(await live.textContent()).toBe('● live');
    expect(await live.getAttribute('class')).toContain('status-live');
    // Runs in the page (the tests compile without the DOM lib, hence a string).
    const colours = await page.evaluate<
      string[]
    >(`['live', 'catching_up', 'stalled', 'rebuilding'].map((state) => {
      const span = document.createElement('span');
      span.className = 'badge status-' + state;
      document.body.appendChild(span);
      const style = getComputedStyle(span);
      const colour = style.color + '/' + style.backgroundColor;
      span.remove();
      return colour;
    })`);
    expect(new Set(colours).size).toBe(4);

    await page.reload();
    await page.waitForSelector('#projections tbody tr');
    const chart = page.locator('#lag-chart');
    await until(
      async () => Number(await chart.getAttribute('data-history-samples')) > 0,
      'history drawn',
      WAIT,
    );
    // Only the history can hold the lag: every live reading since the reload is 0.
    expect(Number(await chart.getAttribute('data-max'))).toBe(lag);
    expect(await page.locator('#lag-chart .value-label').count()).toBe(0);
    expect(await page.locator('#lag-chart .x-label').count()).toBe(5);
    expect(await page.locator('#lag-chart .y-label').last().textContent()).toBe('100');
    const lines = await page.locator('#lag-chart polyline').all();
    const dashes = await Promise.all(lines.map((l) => l.getAttribute('stroke-dasharray')));
    expect(new Set(dashes).size).toBe(allProjections.length);
    expect(await page.locator('#legend .legend-entry').count()).toBe(allProjections.length);
    expect(
      await page.locator('#legend .legend-entry[data-projection="poll-counts"]').textContent(),
    ).toContain(`${lag} at most`);
  }, 60_000);

  it('lets an EventSource of the page open a poll live stream with access_token', async () => {
    const opened = await call(
      app.baseUrl,
      'POST',
      '/polls',
      { pollId: 'es', title: 'ES', options: ['a', 'b'] },
      asApi,
    );
    expect(opened.status).toBe(201);
    const url = `/polls/es/live?minPosition=${String(opened.body.position)}&access_token=${API_TOKEN}`;
    const outcome = await page.evaluate(`new Promise((resolve) => {
      const source = new EventSource(${JSON.stringify(url)});
      source.onopen = () => { source.close(); resolve('open'); };
      source.onerror = () => { source.close(); resolve('error'); };
    })`);
    expect(outcome).toBe('open');
  });

  it('shows rebuild buttons to the admin token only, and a rebuild started from the page shows up', async () => {
    await page.click('#forget-token');
    await until(
      async () =>
        (await page.locator('#token-state').textContent()) === 'this server needs a token',
      'forgotten',
      WAIT,
    );
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await useToken(page, ADMIN_TOKEN);
    await until(
      async () => /^admin token/.test((await page.locator('#token-state').textContent()) ?? ''),
      'admin',
      WAIT,
    );
    const rebuild = page.locator('#projections tr[data-projection="poll-counts"] .action-rebuild');
    await rebuild.waitFor({ state: 'visible' });
    expect(await page.locator('.action-rebuild:visible').count()).toBe(allProjections.length);
    expect(await page.locator('.action-retry').count()).toBe(0); // nothing parked

    await rebuild.click();
    await until(
      async () => (await rebuild.textContent()) === 'confirm rebuild',
      'asks to confirm',
      WAIT,
    );
    await rebuild.click();
    await until(
      async () =>
        /poll-counts: rebuild \S+ started/.test(
          (await page.locator('#notice').textContent()) ?? '',
        ),
      'started',
      WAIT,
    );
    const rebuildId = /rebuild (\S+) started/.exec(
      (await page.locator('#notice').textContent()) ?? '',
    )?.[1];
    await until(
      async () => /completed/.test((await row(page, 'poll-counts', 'rebuild')) ?? ''),
      'rebuild shown completed',
      WAIT,
    );
    const { body } = await call(app.baseUrl, 'GET', '/ops/status', undefined, asApi);
    const polls = (
      body.projections as { name: string; rebuild: { rebuildId: string } | null }[]
    ).find((p) => p.name === 'poll-counts');
    expect(polls?.rebuild?.rebuildId).toBe(rebuildId);
  }, 60_000);

  it('retries and discards parked events from the page (admin token, discard asks to confirm)', async () => {
    // Votes without an option: the projector (running since the history test) parks them.
    for (const voterId of ['bad1', 'bad2'])
      await appendUnchecked(app.db.pool, `ballot-hist|${voterId}`, 'Voted', {
        pollId: 'hist',
        voterId,
      });
    await until(async () => (await row(page, 'poll-counts', 'parked')) === '2', 'two parked', WAIT);
    const retry = page.locator('#projections tr[data-projection="poll-counts"] .action-retry');
    const discard = page.locator('#projections tr[data-projection="poll-counts"] .action-discard');
    await retry.waitFor({ state: 'visible' });
    expect(await page.locator('.action-retry').count()).toBe(1);

    await retry.click();
    await until(
      async () =>
        (await page.locator('#notice').textContent()) === 'poll-counts: 0 folded, 2 still parked',
      'retry answered',
      WAIT,
    );
    await discard.click();
    await until(
      async () => (await discard.textContent()) === 'confirm discard parked',
      'asks to confirm',
      WAIT,
    );
    expect(await row(page, 'poll-counts', 'parked')).toBe('2');
    await discard.click();
    await until(
      async () => (await page.locator('#notice').textContent()) === 'poll-counts: 2 discarded',
      'discarded',
      WAIT,
    );
    await until(
      async () => (await row(page, 'poll-counts', 'parked')) === '0',
      'none parked',
      WAIT,
    );
    expect(await page.locator('.action-retry').count()).toBe(0);
  }, 60_000);

  it('browses events by type and by stream, and says what is wrong with a bad filter', async () => {
    await page.fill('#events-type', 'Voted');
    await page.click('#events-form button[type="submit"]');
    // The unfiltered page may already hold 20 rows: wait for the filtered one to replace it.
    await until(
      async () => {
        const types = await page.locator('#events td.type').allTextContents();
        return types.length === 20 && types.every((type) => type === 'Voted');
      },
      '20 votes, nothing else',
      WAIT,
    );
    expect(await page.locator('#events-older').isEnabled()).toBe(true);
    await page.click('#events-older');
    await until(
      async () => (await page.locator('#events tbody tr').count()) === 40,
      '40 votes',
      WAIT,
    );

    const stream = (await page.locator('#events td.stream').first().textContent()) ?? '';
    await page.fill('#events-type', '');
    await page.fill('#events-stream', stream);
    await page.click('#events-form button[type="submit"]');
    await until(
      async () => (await page.locator('#events tbody tr').count()) === 1,
      'one event of one ballot',
      WAIT,
    );
    expect(await page.locator('#events td.stream').allTextContents()).toEqual([stream]);

    await page.fill('#events-type', 'not a type');
    await page.click('#events-form button[type="submit"]');
    await until(
      async () => /400 .*type/.test((await page.locator('#events-summary').textContent()) ?? ''),
      'the 400 shown',
      WAIT,
    );
    expect(await page.locator('#events-summary').getAttribute('class')).toContain('problem');
    expect(errors).toEqual([]);
  }, 60_000);
});
