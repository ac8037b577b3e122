/**
 * The ops page: one self-contained document (no external scripts, fonts or styles), polling
 * GET /ops/status every second and drawing the lag chart as inline SVG.
 */
export const OPS_PAGE = String.raw`<!doctype html>
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

<h2>Projections</h2>
<table id="projections">
  <thead><tr><th>projection</th><th>position</th><th>head</th><th>lag (events)</th><th>lag (s)</th><th>status</th><th>rebuild</th></tr></thead>
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

<script>
(function () {
  'use strict';
  var COLORS = ['#1a56c4', '#137333', '#b06000', '#a142f4', '#c5221f', '#12858c'];
  var KEEP = 120;
  var history = {};
  var samples = 0;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var key in attrs) node.setAttribute(key, attrs[key]);
    if (text !== undefined) node.textContent = String(text);
    return node;
  }
  function svg(tag, attrs) {
    var node = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (var key in attrs) node.setAttribute(key, attrs[key]);
    return node;
  }
  function fmt(n) { return Number(n).toLocaleString('en-US'); }

  function rebuildCell(p) {
    var td = el('td', { class: 'rebuild' });
    var r = p.rebuild;
    if (!r) { td.textContent = '—'; return td; }
    if (r.status === 'running') {
      var pct = r.total > 0 ? Math.min(100, Math.floor(100 * r.processed / r.total)) : 0;
      var bar = el('span', { class: 'bar', title: pct + '%' });
      bar.appendChild(el('span', { style: 'width:' + pct + '%' }));
      td.appendChild(bar);
      td.appendChild(document.createTextNode(' ' + pct + '% · ' + fmt(r.processed) + ' / ' + fmt(r.total) + ' events'));
    } else {
      td.textContent = r.status + (r.finishedAt ? ' ' + new Date(r.finishedAt).toLocaleTimeString() : '') + (r.error ? ' — ' + r.error : '');
    }
    return td;
  }

  function renderProjections(projections) {
    var body = document.querySelector('#projections tbody');
    body.replaceChildren();
    projections.forEach(function (p) {
      var tr = el('tr', { 'data-projection': p.name });
      tr.appendChild(el('td', { class: 'name' }, p.name));
      tr.appendChild(el('td', { class: 'num position' }, p.position));
      tr.appendChild(el('td', { class: 'num head' }, p.headPosition));
      tr.appendChild(el('td', { class: 'num lag-events' }, p.lagEvents));
      tr.appendChild(el('td', { class: 'num lag-seconds' }, p.lagSeconds));
      tr.appendChild(el('td', { class: 'status status-' + p.status }, p.status.replace('_', ' ')));
      tr.appendChild(rebuildCell(p));
      body.appendChild(tr);
    });
  }

  function renderChart(projections) {
    samples += 1;
    projections.forEach(function (p) {
      var points = history[p.name] || (history[p.name] = []);
      points.push(p.lagEvents);
      if (points.length > KEEP) points.shift();
    });
    var chart = document.getElementById('lag-chart');
    chart.replaceChildren();
    var names = Object.keys(history);
    var max = 1;
    names.forEach(function (n) { history[n].forEach(function (v) { if (v > max) max = v; }); });
    chart.setAttribute('data-max', String(max));
    chart.setAttribute('data-samples', String(samples));
    chart.appendChild(svg('line', { x1: 40, y1: 180, x2: 715, y2: 180, stroke: '#c9ced6' }));
    var label = svg('text', { x: 4, y: 16, 'font-size': 11, fill: '#69707d' });
    label.textContent = fmt(max);
    chart.appendChild(label);
    var zero = svg('text', { x: 4, y: 180, 'font-size': 11, fill: '#69707d' });
    zero.textContent = '0';
    chart.appendChild(zero);
    var legend = document.getElementById('legend');
    legend.replaceChildren();
    names.forEach(function (name, i) {
      var values = history[name];
      var color = COLORS[i % COLORS.length];
      var step = 675 / (KEEP - 1);
      var offset = KEEP - values.length;
      var pts = values.map(function (v, j) {
        return (40 + (offset + j) * step).toFixed(1) + ',' + (180 - (v / max) * 165).toFixed(1);
      });
      chart.appendChild(svg('polyline', { points: pts.join(' '), fill: 'none', stroke: color, 'stroke-width': 2, 'data-projection': name }));
      legend.appendChild(el('span', { style: 'color:' + color }, '■ ' + name + ' ' + fmt(values[values.length - 1])));
    });
  }

  function renderKafka(status) {
    var section = document.getElementById('kafka');
    var kafka = status.kafka;
    section.hidden = !kafka.configured && status.relays.length === 0;
    var relays = document.querySelector('#relays tbody');
    relays.replaceChildren();
    status.relays.forEach(function (r) {
      var tr = el('tr', { 'data-relay': r.name });
      tr.appendChild(el('td', {}, r.name));
      tr.appendChild(el('td', { class: 'num' }, r.position));
      tr.appendChild(el('td', { class: 'num lag-events' }, r.lagEvents));
      relays.appendChild(tr);
    });
    var broker = document.getElementById('broker');
    broker.textContent = !kafka.configured ? '(Kafka off)' : kafka.up ? '' : '— broker down: ' + kafka.error;
    broker.className = kafka.configured && !kafka.up ? 'status-down' : 'muted';
    var parts = document.querySelector('#partitions tbody');
    parts.replaceChildren();
    (kafka.consumerGroups || []).forEach(function (p) {
      var tr = el('tr', { 'data-partition': p.partition });
      [p.group, p.topic, p.partition, p.logEndOffset, p.storedOffset, p.lag].forEach(function (v, i) {
        tr.appendChild(el('td', { class: i >= 2 ? 'num' : '' }, v));
      });
      tr.lastChild.classList.add('lag');
      parts.appendChild(tr);
    });
  }

  function refresh() {
    fetch('/ops/status', { cache: 'no-store' })
      .then(function (r) { if (!r.ok) throw new Error('GET /ops/status: ' + r.status); return r.json(); })
      .then(function (status) {
        renderProjections(status.projections);
        renderChart(status.projections);
        renderKafka(status);
        document.getElementById('updated').textContent = new Date(status.time).toLocaleTimeString();
        document.getElementById('error').textContent = '';
      })
      .catch(function (e) { document.getElementById('error').textContent = String(e.message || e); })
      .finally(function () { setTimeout(refresh, 1000); });
  }
  refresh();
})();
</script>
</body>
</html>
`;
