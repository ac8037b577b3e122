import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Projector } from '../../libs/projections/src';
import { allProjections } from '../../projections';
import { admin, call, startHttpApp, type HttpApp } from '../support/http-app';
import { until } from '../support/projection-harness';

/** Debian's Chromium (apt-get install chromium); CHROMIUM_PATH overrides. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const lagOf = async (page: Page, name: string): Promise<number> =>
  Number(
    await page.locator(`#projections tr[data-projection="${name}"] td.lag-events`).textContent(),
  );

describe('the ops page in a real headless Chromium', () => {
  let app: HttpApp;
  let browser: Browser;
  let projector: Projector | undefined;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (CI does)`);
    // The projector runs here, not in the API, so the test decides when the lag can grow.
    app = await startHttpApp({ TALLY_PROJECTOR: 'off' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 120_000);
  afterAll(async () => {
    await projector?.stop();
    await browser?.close();
    await app?.close();
  });

  it('loads, lists every projection, and its lag figure and chart move under load, then back to 0', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    const response = await page.goto(`${app.baseUrl}/ops`);
    expect(response?.status()).toBe(200);
    expect(await page.title()).toBe('Tally — operations');
    await page.waitForSelector('#projections tbody tr');
    const rows = await page.locator('#projections tbody tr').all();
    const listed = await Promise.all(rows.map((row) => row.getAttribute('data-projection')));
    expect(listed).toEqual(allProjections.map((p) => p.name));
    expect(await lagOf(page, 'poll-counts')).toBe(0);
    expect(await page.locator('#kafka').isHidden()).toBe(true);

    // Load with no projector running: the page's lag figure must climb without a reload.
    const poll = await call(app.baseUrl, 'POST', '/polls', {
      pollId: 'ops',
      title: 'Ops',
      options: ['a', 'b'],
    });
    const optionId = (poll.body.options as { optionId: string }[])[0]!.optionId;
    const votes = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        call(app.baseUrl, 'POST', '/polls/ops/votes', { voterId: `o${i}`, optionId }),
      ),
    );
    expect(votes.every((v) => v.status === 200)).toBe(true);
    await until(async () => (await lagOf(page, 'poll-counts')) === 201, 'page shows lag 201', {
      timeoutMs: 15_000,
      intervalMs: 200,
    });
    const chart = page.locator('#lag-chart');
    expect(Number(await chart.getAttribute('data-max'))).toBeGreaterThanOrEqual(201);
    // No longer live once its oldest waiting event is past the live bound (2 s).
    const status = page.locator('#projections tr[data-projection="poll-counts"] td.status');
    await until(
      async () => /catching up|stalled/.test((await status.textContent()) ?? ''),
      'page shows poll-counts behind',
      { timeoutMs: 15_000, intervalMs: 200 },
    );

    projector = new Projector({ pool: app.db.pool, store: app.store, projections: allProjections });
    await projector.start();
    await until(async () => (await lagOf(page, 'poll-counts')) === 0, 'page shows lag back to 0', {
      timeoutMs: 15_000,
      intervalMs: 200,
    });
    const samples = Number(await chart.getAttribute('data-samples'));
    expect(samples).toBeGreaterThan(2);
    const points = await page
      .locator('#lag-chart polyline[data-projection="poll-counts"]')
      .getAttribute('points');
    const heights = (points ?? '').split(' ').map((p) => Number(p.split(',')[1]));
    expect(Math.min(...heights)).toBeLessThan(Math.max(...heights));

    // Rebuild progress shows on the page.
    const rebuild = await call(
      app.baseUrl,
      'POST',
      '/projections/poll-counts/rebuild',
      undefined,
      admin,
    );
    expect(rebuild.status).toBe(202);
    await until(
      async () =>
        /completed/.test(
          (await page
            .locator('#projections tr[data-projection="poll-counts"] td.rebuild')
            .textContent()) ?? '',
        ),
      'rebuild shown completed',
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    expect(errors).toEqual([]);
  }, 120_000);
});
