// The relay and consumer-group tables, shown when Kafka is on or a relay has run.

function renderKafka(view: StatusView): void {
  const section = required('#kafka');
  const kafka = view.kafka;
  section.hidden = !kafka.configured && view.relays.length === 0;
  const relays = required('#relays tbody');
  relays.replaceChildren();
  for (const r of view.relays) {
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
