import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const SCRIPT = 'ops-page.client.js';

/**
 * Where `npm run build` puts the ops-page/ folder's scripts, compiled into one: next to this file when
 * the API runs from dist, and in dist at the repository's root when it runs from source
 * (ts-jest), which therefore needs a build first.
 */
const SCRIPT_PLACES = [
  join(__dirname, 'ops-page', SCRIPT),
  resolve(__dirname, '../../../../dist/apps/api/src/operations/ops-page', SCRIPT),
];

export interface OpsPage {
  html: string;
  /** Allows the page's one inline script by its hash, and nothing else. */
  contentSecurityPolicy: string;
}

let page: OpsPage | undefined;

/**
 * The ops page: one self-contained document (no external scripts, fonts or styles), polling
 * GET /ops/status every second and drawing the lag chart as inline SVG. Its script is the
 * ops-page/ folder compiled into one file, inlined here inside a function, read once.
 */
export function opsPage(): OpsPage {
  page ??= render(readScript());
  return page;
}

function readScript(): string {
  const file = SCRIPT_PLACES.find((place) => existsSync(place));
  if (file === undefined)
    throw new Error(`the ops page's script is not built (${SCRIPT}): run npm run build`);
  const script = `(() => {\n${readFileSync(file, 'utf8')}})();\n`;
  if (script.includes('</script')) throw new Error(`${file} would end its <script> element early`);
  return script;
}

function render(script: string): OpsPage {
  // The browser hashes exactly the text between <script> and </script>.
  const hash = createHash('sha256').update(script, 'utf8').digest('base64');
  return {
    html: `${HEAD}<script>${script}</script>\n${TAIL}`,
    contentSecurityPolicy: `default-src 'self'; img-src 'self' data:; script-src 'sha256-${hash}'; style-src 'unsafe-inline'`,
  };
}

const HEAD = String.raw`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tally — operations</title>
<link rel="icon" href="data:,">
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1d2330; background: #fafbfc; }
  h1 { font-size: 1.3rem; margin: 0 0 .25rem; }
  h2 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; }
  .muted { color: #5f6673; }
  table { border-collapse: collapse; background: #fff; min-width: 40rem; }
  th, td { padding: .35rem .7rem; border-bottom: 1px solid #e3e6ea; text-align: left; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  .badge { display: inline-block; padding: 0 .5rem; border-radius: .6rem; border: 1px solid; white-space: nowrap; }
  .status-live { color: #0d5c25; background: #e6f4ea; }
  .status-catching_up { color: #7a4a00; background: #fff1d6; }
  .status-stalled { color: #fff; background: #b3261e; font-weight: 600; }
  .status-rebuilding { color: #2f3f9e; background: #e8eafc; border-style: dashed; }
  .status-down { color: #b3261e; font-weight: 600; }
  .bar { display: inline-block; width: 10rem; height: .6rem; background: #e3e6ea; vertical-align: middle; }
  .bar > span { display: block; height: 100%; background: #2f3f9e; }
  svg#lag-chart { background: #fff; border: 1px solid #e3e6ea; }
  .legend { display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; margin-top: .3rem; }
  body:not(.admin) .admin-only { display: none; }
  button.confirming { background: #b3261e; color: #fff; border-color: #b3261e; }
  .actions button { margin-right: .3rem; }
  #token-form { margin: .6rem 0; display: flex; gap: .4rem; align-items: center; flex-wrap: wrap; }
  #token-needed { background: #fff1d6; border: 1px solid #e0b252; padding: .4rem .7rem; }
  #error, .problem { color: #b3261e; }
  #events-form { display: flex; gap: .5rem; align-items: end; flex-wrap: wrap; margin-bottom: .5rem; }
  #events-form label { display: flex; flex-direction: column; font-size: .85rem; }
  #events td.data code { font-size: .8rem; }
</style>
</head>
<body>
<h1>Tally — operations</h1>
<div class="muted">Updated <span id="updated">never</span> · refreshes every second · <a href="/metrics">/metrics</a> · <a href="/docs">/docs</a></div>
<form id="token-form" autocomplete="off">
  <label for="token">Token</label>
  <input id="token" type="password" size="28" placeholder="API or admin token" autocomplete="off">
  <button type="submit">use token</button>
  <button type="button" id="forget-token">forget</button>
  <span class="muted">(kept in this tab only) · <span id="token-state">no token</span></span>
</form>
<p id="token-needed" hidden>This server asks for a token (TALLY_API_TOKEN or the admin token): enter it above.</p>
<div id="error" role="alert"></div>
<div id="notice" class="muted" role="status"></div>

<h2>Projections</h2>
<table id="projections">
  <thead><tr><th>projection</th><th>position</th><th>head</th><th>lag (events)</th><th>lag (s)</th><th>status</th><th>parked</th><th>rebuild</th><th class="admin-only">actions</th></tr></thead>
  <tbody></tbody>
</table>

<h2>Lag (events behind the head)
  <select id="chart-window" aria-label="time shown">
    <option value="300000">last 5 minutes</option>
    <option value="900000" selected>last 15 minutes</option>
    <option value="3600000">last hour</option>
  </select>
</h2>
<svg id="lag-chart" width="760" height="240" viewBox="0 0 760 240" role="img" aria-label="projection lag over time"></svg>
<div class="legend" id="legend"></div>

<section id="kafka" hidden>
  <h2>Relay</h2>
  <table id="relays"><thead><tr><th>relay</th><th>position</th><th>lag (events)</th></tr></thead><tbody></tbody></table>
  <h2>Consumer group <span id="broker" class="muted"></span></h2>
  <table id="partitions"><thead><tr><th>group</th><th>topic</th><th>partition</th><th>log end</th><th>stored offset</th><th>lag</th></tr></thead><tbody></tbody></table>
</section>

<h2>Events (newest first)</h2>
<form id="events-form">
  <label>stream <input id="events-stream" size="24" placeholder="any"></label>
  <label>type <input id="events-type" size="18" placeholder="any, e.g. Voted"></label>
  <label>how many <input id="events-limit" type="number" min="1" max="100" value="20"></label>
  <button type="submit">show</button>
  <button type="button" id="events-older" disabled>older</button>
</form>
<div id="events-summary" class="muted" role="status"></div>
<table id="events">
  <thead><tr><th>position</th><th>recorded</th><th>stream</th><th>revision</th><th>type</th><th>data</th></tr></thead>
  <tbody></tbody>
</table>

`;

const TAIL = String.raw`</body>
</html>
`;
