import { Resvg } from '@resvg/resvg-js';
import { formatNumber } from './report';
import type { ScenarioResult } from './summary';

/** The scenarios of the chart, in order, with the heading each group gets. */
const GROUPS: readonly { name: string; title: string }[] = [
  { name: 'limit', title: 'limit: one bare INSERT per transaction' },
  { name: 'hot-counter', title: 'hot counter: 1 option, 64 clients' },
  { name: 'hot-sku-sellout', title: 'hot SKU: stock 10,000 sold out, 64 clients' },
  { name: 'spread/votes', title: 'spread: 10,000 voters on 100 polls' },
  { name: 'spread/skus', title: 'spread: 1,000 SKUs' },
  { name: 'http/hot-counter', title: 'HTTP (autocannon): hot counter' },
  { name: 'http/spread-votes', title: 'HTTP (autocannon): spread votes' },
  { name: 'replay', title: 'replay: a Projector from position 0 (log events/s)' },
  { name: 'rebuild', title: 'rebuild tool: shadow tables, catch-up, swap (log events/s)' },
];

const WIDTH = 1100;
const LABEL_W = 250;
const BAR_H = 18;
const ROW_H = 24;
const HEAD_H = 30;
const MIN_LOG = 2; // 100/s
const MAX_LOG = 7; // 10,000,000/s

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function colour(system: string): string {
  if (system.startsWith('tally')) return '#2e7d32';
  if (system === 'naive-rmw') return '#c62828';
  if (system === 'bare-insert') return '#283593';
  if (system.startsWith('read-only')) return '#9e9e9e';
  if (
    ['poll-counts', 'reaction-counts', 'thread-stats', 'inventory', 'users', 'all-five'].includes(
      system,
    )
  )
    return '#2e7d32';
  return '#78909c';
}

function note(r: ScenarioResult): string {
  const parts = [`${formatNumber(r.opsPerSec)}/s`];
  if (r.lost !== null && r.lost > 0) parts.push(`LOST ${formatNumber(r.lost)}`);
  if (r.oversold !== null && r.oversold > 0) parts.push(`OVERSOLD ${formatNumber(r.oversold)}`);
  if (r.p99Ms !== null) parts.push(`p99 ${formatNumber(r.p99Ms, 1)} ms`);
  if (r.lagP99Ms !== null) parts.push(`lag p99 ${formatNumber(r.lagP99Ms, 1)} ms`);
  return parts.join(' · ');
}

/** Horizontal bars of operations per second, one group per scenario, on a log scale. */
export function chartSvg(results: readonly ScenarioResult[], subtitle: string): string {
  const plotX = LABEL_W;
  const plotW = WIDTH - LABEL_W - 260;
  const x = (value: number): number => {
    const log = Math.log10(Math.max(10 ** MIN_LOG, value));
    return plotX + ((Math.min(log, MAX_LOG) - MIN_LOG) / (MAX_LOG - MIN_LOG)) * plotW;
  };
  const rows: string[] = [];
  // The subtitle on as many lines as it needs.
  const lines: string[] = [];
  for (const part of subtitle.split('; ')) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + part.length < 150)
      lines[lines.length - 1] = `${last}; ${part}`;
    else lines.push(part);
  }
  let y = 50 + lines.length * 16;
  for (const group of GROUPS) {
    const members = results.filter((r) => r.name === group.name);
    if (members.length === 0) continue;
    rows.push(
      `<text x="10" y="${y + 18}" font-size="14" font-weight="bold">${escapeXml(group.title)}</text>`,
    );
    y += HEAD_H;
    for (const r of members) {
      const end = x(r.opsPerSec);
      rows.push(
        `<text x="${LABEL_W - 8}" y="${y + 13}" font-size="12" text-anchor="end">${escapeXml(r.system)}</text>`,
        `<rect x="${plotX}" y="${y}" width="${Math.max(1, end - plotX).toFixed(1)}" height="${BAR_H}" fill="${colour(r.system)}"/>`,
        `<text x="${(end + 6).toFixed(1)}" y="${y + 13}" font-size="11">${escapeXml(note(r))}</text>`,
      );
      y += ROW_H;
    }
    y += 6;
  }
  const height = y + 40;
  const grid: string[] = [];
  for (let p = MIN_LOG; p <= MAX_LOG; p++) {
    const gx = x(10 ** p);
    grid.push(
      `<line x1="${gx}" y1="${44 + lines.length * 16}" x2="${gx}" y2="${y}" stroke="#e0e0e0"/>`,
      `<text x="${gx}" y="${y + 16}" font-size="11" text-anchor="middle" fill="#555">${formatNumber(10 ** p)}/s</text>`,
    );
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="DejaVu Sans, Liberation Sans, sans-serif">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="26" font-size="18" font-weight="bold">Tally benchmarks: operations per second (log scale), one run, same PostgreSQL</text>`,
    ...lines.map(
      (line, i) =>
        `<text x="10" y="${48 + i * 16}" font-size="12" fill="#444">${escapeXml(line)}</text>`,
    ),
    ...grid,
    ...rows,
    `<text x="10" y="${height - 8}" font-size="11" fill="#555">green: Tally · red: naive read-modify-write (loses updates) · blue: the commit ceiling · grey: the classic fixes; lost and oversold shown when not 0</text>`,
    '</svg>',
  ].join('\n');
}

export function svgToPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    fitTo: { mode: 'original' },
  });
  return resvg.render().asPng();
}
