// The projections table, updated in place every second (rows persist, so a button is not
// replaced under the pointer), with the admin actions: rebuild, retry or discard parked.

const STATUS_LABELS: Record<string, { mark: string; text: string; title: string }> = {
  live: { mark: '●', text: 'live', title: 'folded up to the head of the log' },
  catching_up: { mark: '▲', text: 'catching up', title: 'behind the head, and folding' },
  stalled: { mark: '■', text: 'stalled', title: 'behind the head, and nothing folded for 30 s' },
  rebuilding: { mark: '↻', text: 'rebuilding', title: 'a rebuild is replaying the log' },
};

/** An action that needs a second click within 5 s ("discard" loses events for good). */
const armed = new Map<string, number>();

function setCell(row: HTMLElement, className: string, content: string | Node): void {
  let cell = row.querySelector<HTMLElement>(`td.${className.split(' ').pop() ?? className}`);
  if (!cell) {
    cell = el('td', { class: className });
    row.appendChild(cell);
  }
  if (typeof content === 'string') {
    if (cell.textContent !== content || cell.children.length > 0) cell.textContent = content;
  } else if (cell.innerHTML !== (content as Element).outerHTML) {
    cell.replaceChildren(content);
  }
}

function statusBadge(state: string): HTMLElement {
  const label = STATUS_LABELS[state] ?? { mark: '?', text: state, title: state };
  return el(
    'span',
    { class: `badge status-${state}`, title: label.title },
    `${label.mark} ${label.text}`,
  );
}

function rebuildSummary(r: RebuildView | null): string {
  if (!r) return '—';
  if (r.status === 'running') {
    const pct = r.total > 0 ? Math.min(100, Math.floor((100 * r.processed) / r.total)) : 0;
    return `${pct}% · ${fmt(r.processed)} / ${fmt(r.total)} events`;
  }
  const at = r.finishedAt ? ` ${new Date(r.finishedAt).toLocaleTimeString()}` : '';
  return `${r.status}${at}${r.error ? ` — ${r.error}` : ''}`;
}

function rebuildCell(r: RebuildView | null): Node {
  if (r?.status !== 'running') return document.createTextNode(rebuildSummary(r));
  const pct = r.total > 0 ? Math.min(100, Math.floor((100 * r.processed) / r.total)) : 0;
  const wrap = el('span');
  const bar = el('span', { class: 'bar', title: `${pct}%` });
  bar.appendChild(el('span', { style: `width:${pct}%` }));
  wrap.append(bar, ` ${rebuildSummary(r)}`);
  return wrap;
}

function act(
  key: string,
  confirmFirst: boolean,
  method: string,
  path: string,
  done: (body: Record<string, unknown>) => string,
): void {
  const until = armed.get(key) ?? 0;
  if (confirmFirst && until < Date.now()) {
    armed.set(key, Date.now() + 5000);
    refresh();
    return;
  }
  armed.delete(key);
  api<Record<string, unknown>>(method, path)
    .then((body) => {
      showNotice(done(body));
      showError('');
    })
    .catch((e: unknown) => showError(messageOf(e)))
    .finally(refresh);
}

function actionButton(
  p: ProjectionView,
  action: 'rebuild' | 'retry' | 'discard',
): HTMLButtonElement {
  const key = `${action}:${p.name}`;
  const confirming = (armed.get(key) ?? 0) > Date.now();
  const base = `/projections/${encodeURIComponent(p.name)}`;
  const labels = { rebuild: 'rebuild', retry: 'retry parked', discard: 'discard parked' };
  const node = button(
    confirming ? `confirm ${labels[action]}` : labels[action],
    `action-${action}`,
    () => {
      if (action === 'rebuild')
        act(
          key,
          true,
          'POST',
          `${base}/rebuild`,
          (b) => `${p.name}: rebuild ${String(b.rebuildId)} started`,
        );
      else if (action === 'retry')
        act(key, false, 'POST', `${base}/parked/retry`, (b) => {
          const folded = (b.folded as unknown[] | undefined)?.length ?? 0;
          const still = (b.stillParked as unknown[] | undefined)?.length ?? 0;
          return `${p.name}: ${folded} folded, ${still} still parked`;
        });
      else
        act(
          key,
          true,
          'POST',
          `${base}/parked/discard`,
          (b) => `${p.name}: ${(b.discarded as unknown[] | undefined)?.length ?? 0} discarded`,
        );
    },
  );
  if (confirming) node.classList.add('confirming');
  if (action === 'rebuild' && p.rebuild?.status === 'running') node.disabled = true;
  return node;
}

function actionsCell(p: ProjectionView): Node {
  const wrap = el('span', { class: 'actions' });
  wrap.appendChild(actionButton(p, 'rebuild'));
  if (p.parkedEvents > 0) wrap.append(actionButton(p, 'retry'), actionButton(p, 'discard'));
  return wrap;
}

function renderProjections(projections: ProjectionView[]): void {
  const body = required('#projections tbody');
  for (const p of projections) {
    let row = body.querySelector<HTMLElement>(`tr[data-projection="${CSS.escape(p.name)}"]`);
    if (!row) {
      row = el('tr', { 'data-projection': p.name });
      body.appendChild(row);
    }
    setCell(row, 'name', p.name);
    setCell(row, 'num position', p.position);
    setCell(row, 'num head', p.headPosition);
    setCell(row, 'num lag-events', String(p.lagEvents));
    setCell(row, 'num lag-seconds', String(p.lagSeconds));
    setCell(row, 'status', statusBadge(p.status));
    setCell(row, 'num parked', String(p.parkedEvents));
    setCell(row, 'rebuild', rebuildCell(p.rebuild));
    setCell(row, 'admin-only actions-cell', actionsCell(p));
  }
}
