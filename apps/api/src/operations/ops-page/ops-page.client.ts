// The ops page's script: polls GET /ops/status every second and redraws the tables and the
// lag chart. A classic script (no import or export) in an IIFE, inlined into the page by
// ops-page.ts; the types below mirror OpsStatus (apps/api/src/operations/ops-status.ts).

interface RebuildView {
  status: string;
  processed: number;
  total: number;
  finishedAt: string | null;
  error: string | null;
}

interface ProjectionView {
  name: string;
  position: string;
  headPosition: string;
  lagEvents: number;
  lagSeconds: number;
  status: string;
  parkedEvents: number;
  rebuild: RebuildView | null;
}

interface RelayView {
  name: string;
  position: string;
  lagEvents: number;
}

interface PartitionView {
  group: string;
  topic: string;
  partition: number;
  logEndOffset: number;
  storedOffset: number;
  lag: number;
}

interface StatusView {
  time: string;
  projections: ProjectionView[];
  relays: RelayView[];
  kafka: {
    configured: boolean;
    up: boolean | null;
    consumerGroups: PartitionView[] | null;
    error: string | null;
  };
}

type Attributes = Record<string, string | number>;

(() => {
  const COLORS = ['#1a56c4', '#137333', '#b06000', '#a142f4', '#c5221f', '#12858c'];
  const KEEP = 120;
  const history: Record<string, number[]> = {};
  let samples = 0;

  function required<T extends Element>(selector: string): T {
    const node = document.querySelector<T>(selector);
    if (!node) throw new Error(`the ops page has no ${selector}`);
    return node;
  }

  function el(tag: string, attrs: Attributes, text?: string | number): HTMLElement {
    const node = document.createElement(tag);
    for (const key in attrs) node.setAttribute(key, String(attrs[key]));
    if (text !== undefined) node.textContent = String(text);
    return node;
  }
  function svg(tag: string, attrs: Attributes): SVGElement {
    const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const key in attrs) node.setAttribute(key, String(attrs[key]));
    return node;
  }
  const fmt = (n: number | string): string => Number(n).toLocaleString('en-US');

  function rebuildCell(p: ProjectionView): HTMLElement {
    const td = el('td', { class: 'rebuild' });
    const r = p.rebuild;
    if (!r) {
      td.textContent = '—';
      return td;
    }
    if (r.status === 'running') {
      const pct = r.total > 0 ? Math.min(100, Math.floor((100 * r.processed) / r.total)) : 0;
      const bar = el('span', { class: 'bar', title: `${pct}%` });
      bar.appendChild(el('span', { style: `width:${pct}%` }));
      td.appendChild(bar);
      td.appendChild(
        document.createTextNode(` ${pct}% · ${fmt(r.processed)} / ${fmt(r.total)} events`),
      );
    } else {
      td.textContent =
        r.status +
        (r.finishedAt ? ` ${new Date(r.finishedAt).toLocaleTimeString()}` : '') +
        (r.error ? ` — ${r.error}` : '');
    }
    return td;
  }

  // The page opened with ?access_token=… (an admin token) may retry parked events; the
  // server decides: another token gets 401/403, shown as the error.
  const token = new URLSearchParams(location.search).get('access_token');

  function retryParked(name: string, button: HTMLButtonElement): void {
    button.disabled = true;
    void fetch(`/projections/${encodeURIComponent(name)}/parked/retry`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token ?? ''}` },
    })
      .then(async (r) => {
        const body = (await r.json()) as {
          folded?: string[];
          stillParked?: unknown[];
          message?: string;
        };
        if (!r.ok) throw new Error(`retry ${name}: ${r.status} ${body.message ?? ''}`);
        required('#notice').textContent =
          `${name}: ${body.folded?.length ?? 0} folded, ${body.stillParked?.length ?? 0} still parked`;
      })
      .catch((e: unknown) => {
        required('#error').textContent = String((e instanceof Error && e.message) || e);
      });
  }

  function parkedCell(p: ProjectionView): HTMLElement {
    const td = el('td', { class: 'num parked' }, p.parkedEvents);
    if (p.parkedEvents > 0 && token) {
      const button = el('button', { type: 'button', class: 'retry' }, 'retry') as HTMLButtonElement;
      button.addEventListener('click', () => retryParked(p.name, button));
      td.appendChild(document.createTextNode(' '));
      td.appendChild(button);
    }
    return td;
  }

  function renderProjections(projections: ProjectionView[]): void {
    const body = required('#projections tbody');
    body.replaceChildren();
    for (const p of projections) {
      const tr = el('tr', { 'data-projection': p.name });
      tr.appendChild(el('td', { class: 'name' }, p.name));
      tr.appendChild(el('td', { class: 'num position' }, p.position));
      tr.appendChild(el('td', { class: 'num head' }, p.headPosition));
      tr.appendChild(el('td', { class: 'num lag-events' }, p.lagEvents));
      tr.appendChild(el('td', { class: 'num lag-seconds' }, p.lagSeconds));
      tr.appendChild(el('td', { class: `status status-${p.status}` }, p.status.replace('_', ' ')));
      tr.appendChild(parkedCell(p));
      tr.appendChild(rebuildCell(p));
      body.appendChild(tr);
    }
  }

  function renderChart(projections: ProjectionView[]): void {
    samples += 1;
    for (const p of projections) {
      const points = (history[p.name] ??= []);
      points.push(p.lagEvents);
      if (points.length > KEEP) points.shift();
    }
    const chart = required('#lag-chart');
    chart.replaceChildren();
    const names = Object.keys(history);
    let max = 1;
    for (const name of names) for (const v of history[name] ?? []) if (v > max) max = v;
    chart.setAttribute('data-max', String(max));
    chart.setAttribute('data-samples', String(samples));
    chart.appendChild(svg('line', { x1: 40, y1: 180, x2: 715, y2: 180, stroke: '#c9ced6' }));
    const label = svg('text', { x: 4, y: 16, 'font-size': 11, fill: '#69707d' });
    label.textContent = fmt(max);
    chart.appendChild(label);
    const zero = svg('text', { x: 4, y: 180, 'font-size': 11, fill: '#69707d' });
    zero.textContent = '0';
    chart.appendChild(zero);
    const legend = required('#legend');
    legend.replaceChildren();
    names.forEach((name, i) => {
      const values = history[name] ?? [];
      const color = COLORS[i % COLORS.length] ?? '#1a56c4';
      const step = 675 / (KEEP - 1);
      const offset = KEEP - values.length;
      const pts = values.map(
        (v, j) => `${(40 + (offset + j) * step).toFixed(1)},${(180 - (v / max) * 165).toFixed(1)}`,
      );
      chart.appendChild(
        svg('polyline', {
          points: pts.join(' '),
          fill: 'none',
          stroke: color,
          'stroke-width': 2,
          'data-projection': name,
        }),
      );
      legend.appendChild(
        el('span', { style: `color:${color}` }, `■ ${name} ${fmt(values[values.length - 1] ?? 0)}`),
      );
    });
  }

  function renderKafka(status: StatusView): void {
    const section = required<HTMLElement>('#kafka');
    const kafka = status.kafka;
    section.hidden = !kafka.configured && status.relays.length === 0;
    const relays = required('#relays tbody');
    relays.replaceChildren();
    for (const r of status.relays) {
      const tr = el('tr', { 'data-relay': r.name });
      tr.appendChild(el('td', {}, r.name));
      tr.appendChild(el('td', { class: 'num' }, r.position));
      tr.appendChild(el('td', { class: 'num lag-events' }, r.lagEvents));
      relays.appendChild(tr);
    }
    const broker = required('#broker');
    broker.textContent = !kafka.configured
      ? '(Kafka off)'
      : kafka.up
        ? ''
        : `— broker down: ${kafka.error}`;
    broker.className = kafka.configured && !kafka.up ? 'status-down' : 'muted';
    const parts = required('#partitions tbody');
    parts.replaceChildren();
    for (const p of kafka.consumerGroups ?? []) {
      const tr = el('tr', { 'data-partition': p.partition });
      const cells = [p.group, p.topic, p.partition, p.logEndOffset, p.storedOffset, p.lag].map(
        (v, i) => el('td', { class: i >= 2 ? 'num' : '' }, v),
      );
      cells[cells.length - 1]?.classList.add('lag');
      for (const cell of cells) tr.appendChild(cell);
      parts.appendChild(tr);
    }
  }

  function refresh(): void {
    void fetch('/ops/status', { cache: 'no-store' })
      .then((r) => {
        if (!r.ok) throw new Error(`GET /ops/status: ${r.status}`);
        return r.json() as Promise<StatusView>;
      })
      .then((status) => {
        renderProjections(status.projections);
        renderChart(status.projections);
        renderKafka(status);
        required('#updated').textContent = new Date(status.time).toLocaleTimeString();
        required('#error').textContent = '';
      })
      .catch((e: unknown) => {
        required('#error').textContent = String((e instanceof Error && e.message) || e);
      })
      .finally(() => setTimeout(refresh, 1000));
  }
  refresh();
})();
