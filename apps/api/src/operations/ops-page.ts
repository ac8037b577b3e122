import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const SCRIPT = 'ops-page.client.js';

/**
 * Where `npm run build` puts the compiled ops-page/ops-page.client.ts: next to this file when
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
 * GET /ops/status every second and drawing the lag chart as inline SVG. Its script is
 * ops-page/ops-page.client.ts, compiled and inlined here, read once.
 */
export function opsPage(): OpsPage {
  page ??= render(readScript());
  return page;
}

function readScript(): string {
  const file = SCRIPT_PLACES.find((place) => existsSync(place));
  if (file === undefined)
    throw new Error(`the ops page's script is not built (${SCRIPT}): run npm run build`);
  const script = readFileSync(file, 'utf8');
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
  .muted { color: #69707d; }
  table { border-collapse: collapse; background: #fff; min-width: 40rem; }
  th, td { padding: .35rem .7rem; border-bottom: 1px solid #e3e6ea; text-align: left; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  .status-live { color: #137333; } .status-catching_up { color: #b06000; }
  .status-stalled, .status-down { color: #c5221f; font-weight: 600; } .status-rebuilding { color: #1a56c4; }
  .bar { display: inline-block; width: 10rem; height: .6rem; background: #e3e6ea; vertical-align: middle; }
  .bar > span { display: block; height: 100%; background: #1a56c4; }
  svg { background: #fff; border: 1px solid #e3e6ea; }
  .legend span { margin-right: 1rem; }
  #error { color: #c5221f; }
</style>
</head>
<body>
<h1>Tally — operations</h1>
<div class="muted">Updated <span id="updated">never</span> · refreshes every second · <a href="/metrics">/metrics</a> · <a href="/docs">/docs</a></div>
<div id="error" role="alert"></div>
<div id="notice" class="muted" role="status"></div>

<h2>Projections</h2>
<table id="projections">
  <thead><tr><th>projection</th><th>position</th><th>head</th><th>lag (events)</th><th>lag (s)</th><th>status</th><th>parked</th><th>rebuild</th></tr></thead>
  <tbody></tbody>
</table>

<h2>Lag (events) — last two minutes</h2>
<svg id="lag-chart" width="720" height="200" viewBox="0 0 720 200" role="img" aria-label="projection lag over time"></svg>
<div class="legend" id="legend"></div>

<section id="kafka" hidden>
  <h2>Relay</h2>
  <table id="relays"><thead><tr><th>relay</th><th>position</th><th>lag (events)</th></tr></thead><tbody></tbody></table>
  <h2>Consumer group <span id="broker" class="muted"></span></h2>
  <table id="partitions"><thead><tr><th>group</th><th>topic</th><th>partition</th><th>log end</th><th>stored offset</th><th>lag</th></tr></thead><tbody></tbody></table>
</section>

`;

const TAIL = String.raw`</body>
</html>
`;
