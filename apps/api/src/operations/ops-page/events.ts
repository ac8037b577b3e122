// The event browser: the newest events of the log, of one stream and/or one type, newest
// first (GET /ops/events), a page at a time.

let olderThan: string | null = null;

function eventFilters(before: string | null): string {
  const query = new URLSearchParams();
  const fields: [string, string][] = [
    ['stream', '#events-stream'],
    ['type', '#events-type'],
    ['limit', '#events-limit'],
  ];
  for (const [field, selector] of fields) {
    const value = required<HTMLInputElement>(selector).value.trim();
    if (value) query.set(field, value);
  }
  if (before) query.set('before', before);
  return query.toString();
}

function eventRow(e: EventView): HTMLElement {
  const tr = el('tr', { 'data-position': e.position });
  const data = JSON.stringify(e.data);
  tr.append(
    el('td', { class: 'num position' }, e.position),
    el('td', { class: 'time' }, new Date(e.recordedAt).toLocaleTimeString()),
    el('td', { class: 'stream' }, e.streamId),
    el('td', { class: 'num revision' }, e.revision),
    el('td', { class: 'type' }, e.type),
  );
  const cell = el('td', { class: 'data', title: data });
  cell.appendChild(el('code', {}, data.length > 120 ? `${data.slice(0, 119)}…` : data));
  tr.appendChild(cell);
  return tr;
}

function loadEvents(before: string | null): void {
  const summary = required('#events-summary');
  api<EventPageView>('GET', `/ops/events?${eventFilters(before)}`)
    .then((page) => {
      const body = required('#events tbody');
      if (!before) body.replaceChildren();
      for (const e of page.events) body.appendChild(eventRow(e));
      olderThan = page.next;
      required<HTMLButtonElement>('#events-older').disabled = page.next === null;
      const shown = body.children.length;
      summary.textContent = `${fmt(shown)} shown · ${fmt(page.scanned)} read for this page · head ${page.headPosition}`;
      summary.classList.remove('problem');
    })
    .catch((e: unknown) => {
      summary.textContent = messageOf(e);
      summary.classList.add('problem');
    });
}

function installEventBrowser(): void {
  required('#events-form').addEventListener('submit', (event) => {
    event.preventDefault();
    loadEvents(null);
  });
  required('#events-older').addEventListener('click', () => loadEvents(olderThan));
}
