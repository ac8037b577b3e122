// The lag chart: each projection's lag in events over time, from the server's last hour
// (GET /ops/lag-history, on load) and then every status the page reads. Lines differ by
// colour and by dash, the legend shows both, the axes say when and how many.

interface LagPoint {
  t: number;
  v: number;
}

const HOUR_MS = 60 * 60 * 1000;
// Told apart by colour-blind readers too (Okabe–Ito), and by dash without colour at all.
const LINE_COLORS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000'];
const LINE_DASHES = ['', '8 4', '2 3', '12 3 3 3', '4 4', '1 5', '16 6'];
const CHART = { width: 760, height: 240, left: 64, right: 740, top: 26, bottom: 200 };

const lagSeries = new Map<string, LagPoint[]>();
const chartCounts = { live: 0, history: 0 };

function addLagPoint(projection: string, point: LagPoint): void {
  let points = lagSeries.get(projection);
  if (!points) lagSeries.set(projection, (points = []));
  const last = points[points.length - 1];
  if (last && last.t >= point.t) return;
  points.push(point);
  while (points.length > 0 && (points[0]?.t ?? 0) < point.t - HOUR_MS) points.shift();
}

/** The server's samples first, then whatever this page read since, newer than them. */
function loadLagHistory(view: LagHistoryView): void {
  let most = 0;
  for (const p of view.projections) {
    const since = lagSeries.get(p.name) ?? [];
    lagSeries.set(p.name, []);
    for (const s of p.samples) addLagPoint(p.name, { t: Date.parse(s.time), v: s.lagEvents });
    for (const point of since) addLagPoint(p.name, point);
    most = Math.max(most, p.samples.length);
  }
  chartCounts.history = most;
}

function recordLag(view: StatusView): void {
  const t = Date.parse(view.time);
  for (const p of view.projections) addLagPoint(p.name, { t, v: p.lagEvents });
  chartCounts.live += 1;
}

/** 1, 2 or 5 times a power of ten, at least `n`. */
function niceCeiling(n: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(n, 1)));
  for (const step of [1, 2, 5, 10]) if (step * power >= n) return step * power;
  return 10 * power;
}

const clock = (t: number): string =>
  new Date(t).toLocaleTimeString('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });

function drawAxes(chart: SVGElement, from: number, windowMs: number, top: number): void {
  const { left, right, bottom } = CHART;
  const muted = { 'font-size': 11, fill: '#5f6673' };
  for (let i = 0; i <= 4; i += 1) {
    const y = bottom - ((bottom - CHART.top) * i) / 4;
    chart.appendChild(svg('line', { x1: left, y1: y, x2: right, y2: y, stroke: '#e3e6ea' }));
    const label = svg('text', { ...muted, x: left - 6, y: y + 4, 'text-anchor': 'end' });
    label.textContent = fmt((top * i) / 4);
    label.setAttribute('class', 'y-label');
    chart.appendChild(label);
  }
  for (let i = 0; i <= 4; i += 1) {
    const x = left + ((right - left) * i) / 4;
    chart.appendChild(svg('line', { x1: x, y1: bottom, x2: x, y2: bottom + 4, stroke: '#9aa1ad' }));
    const anchor = i === 0 ? 'start' : i === 4 ? 'end' : 'middle';
    const label = svg('text', { ...muted, x, y: bottom + 17, 'text-anchor': anchor });
    label.textContent = clock(from + (windowMs * i) / 4);
    label.setAttribute('class', 'x-label');
    chart.appendChild(label);
  }
  chart.appendChild(
    svg('line', { x1: left, y1: bottom, x2: right, y2: bottom, stroke: '#9aa1ad' }),
  );
  chart.appendChild(svg('text', { ...muted, x: 4, y: 12 }, 'events behind'));
  chart.appendChild(
    svg('text', { ...muted, x: right, y: bottom + 34, 'text-anchor': 'end' }, 'time'),
  );
}

function legendEntry(
  projection: string,
  color: string,
  dash: string,
  points: LagPoint[],
): HTMLElement {
  const entry = el('span', { class: 'legend-entry', 'data-projection': projection });
  const swatch = svg('svg', { width: 32, height: 10, 'aria-hidden': 'true' });
  swatch.appendChild(
    svg('line', {
      x1: 1,
      y1: 5,
      x2: 31,
      y2: 5,
      stroke: color,
      'stroke-width': 2.5,
      'stroke-dasharray': dash,
    }),
  );
  entry.appendChild(swatch);
  const now = points[points.length - 1]?.v ?? 0;
  const most = points.reduce((m, p) => Math.max(m, p.v), 0);
  entry.appendChild(
    document.createTextNode(` ${projection}: ${fmt(now)} now, ${fmt(most)} at most`),
  );
  return entry;
}

function drawChart(): void {
  const chart = required<SVGElement>('#lag-chart');
  const windowMs = Number(required<HTMLSelectElement>('#chart-window').value) || HOUR_MS;
  let latest = 0;
  for (const points of lagSeries.values())
    latest = Math.max(latest, points[points.length - 1]?.t ?? 0);
  const to = latest || Date.now();
  const from = to - windowMs;
  const shown = [...lagSeries].map(([projection, points]) => ({
    projection,
    points: points.filter((p) => p.t >= from),
  }));
  let max = 0;
  for (const { points } of shown) for (const p of points) max = Math.max(max, p.v);
  const top = niceCeiling(Math.max(max, 4));
  chart.replaceChildren();
  chart.setAttribute('data-max', String(max));
  chart.setAttribute('data-samples', String(chartCounts.live));
  chart.setAttribute('data-history-samples', String(chartCounts.history));
  drawAxes(chart, from, windowMs, top);
  const { left, right, top: y0, bottom } = CHART;
  const x = (t: number): string => (left + ((t - from) / windowMs) * (right - left)).toFixed(1);
  const y = (v: number): string => (bottom - (v / top) * (bottom - y0)).toFixed(1);
  const legend = required('#legend');
  legend.replaceChildren();
  shown.forEach(({ projection, points }, i) => {
    const color = LINE_COLORS[i % LINE_COLORS.length] ?? '#000000';
    const dash = LINE_DASHES[i % LINE_DASHES.length] ?? '';
    const line = svg('polyline', {
      points: points.map((p) => `${x(p.t)},${y(p.v)}`).join(' '),
      fill: 'none',
      stroke: color,
      'stroke-width': 2,
      'stroke-dasharray': dash,
      'data-projection': projection,
    });
    line.appendChild(svg('title', {}, projection));
    chart.appendChild(line);
    const last = points[points.length - 1];
    if (last && last.v > 0) {
      const label = svg('text', {
        x: Number(x(last.t)) - 4,
        y: Number(y(last.v)) - 4,
        'font-size': 11,
        fill: color,
        'text-anchor': 'end',
      });
      label.textContent = fmt(last.v);
      label.setAttribute('class', 'value-label');
      chart.appendChild(label);
    }
    legend.appendChild(legendEntry(projection, color, dash, points));
  });
}
