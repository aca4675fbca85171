// Overview: this node and live figures every 2 seconds (connections, messages in/out per second, bytes, dropped),
// then every node of the cluster with its status.
import uPlot from '/webjars/uplot/1.6.30/dist/uPlot.esm.js';
import { get } from './api.js';
import { el, heading, say } from './ui.js';
import { loadNodes, nodesTable } from './nodes.js';

const POINTS = 90;
const EVERY_MS = 2000;

export async function overview(main) {
  const figures = {};
  const card = (id, label) => {
    figures[id] = el('div', { class: 'value', id: `ov-${id}` }, '…');
    return el('div', { class: 'card' }, el('div', { class: 'label' }, label), figures[id]);
  };
  const charts = el('div', { class: 'charts' });
  const members = el('section', { class: 'members', 'aria-label': 'Nodes' });
  main.append(heading('Overview'),
    el('div', { class: 'cards' }, card('node', 'Node'), card('version', 'Version'), card('uptime', 'Uptime'),
      card('connections', 'Connections'), card('received', 'Messages received'), card('sent', 'Messages sent'),
      card('dropped', 'Messages dropped'), card('bytes-in', 'Bytes received'), card('bytes-out', 'Bytes sent')),
    el('h2', {}, 'Nodes'), members, charts);
  const series = { t: [], conn: [], inRate: [], outRate: [], bytesIn: [], bytesOut: [], dropped: [] };
  const plots = [
    plot(charts, 'Connections', [['Connections', '#2f6f4f']], () => [series.t, series.conn]),
    plot(charts, 'Messages per second', [['In', '#1f77b4'], ['Out', '#ff7f0e']],
      () => [series.t, series.inRate, series.outRate]),
    plot(charts, 'Bytes per second', [['In', '#1f77b4'], ['Out', '#ff7f0e']],
      () => [series.t, series.bytesIn, series.bytesOut]),
    plot(charts, 'Dropped per second', [['Dropped', '#b3261e']], () => [series.t, series.dropped]),
  ];
  let last = null;
  const tick = async () => {
    try {
      const [nodes, metrics, stats] = await Promise.all([loadNodes(), get('/monitoring/metrics'),
        get('/monitoring/stats')]);
      const node = nodes[0];                       // this node comes first
      members.replaceChildren(nodesTable(nodes));
      const m = Object.values(metrics.result[0])[0];
      const s = Object.values(stats.result[0])[0];
      const now = Date.now() / 1000;
      const conn = s['clients/count'] ?? s['connections/count'] ?? 0;
      figures.node.textContent = node.name;
      figures.version.textContent = node.version;
      figures.uptime.textContent = node.uptime;
      figures.connections.textContent = conn;
      figures.received.textContent = m['messages/received'];
      figures.sent.textContent = m['messages/sent'];
      figures.dropped.textContent = m['messages/dropped'];
      figures['bytes-in'].textContent = m['bytes/received'];
      figures['bytes-out'].textContent = m['bytes/sent'];
      if (last) {
        const dt = Math.max(0.001, now - last.t);
        const rate = (k) => Math.max(0, (m[k] - last.m[k]) / dt);
        push(series, now, conn, rate('messages/received'), rate('messages/sent'), rate('bytes/received'),
          rate('bytes/sent'), rate('messages/dropped'));
        plots.forEach((p) => p.update());
      }
      last = { t: now, m };
    } catch (e) {
      say(e.message);
    }
  };
  await tick();
  const timer = setInterval(tick, EVERY_MS);
  const resize = () => plots.forEach((p) => p.resize());
  window.addEventListener('resize', resize);
  return () => {
    clearInterval(timer);
    window.removeEventListener('resize', resize);
    plots.forEach((p) => p.destroy());
  };
}

function push(series, t, conn, inRate, outRate, bytesIn, bytesOut, dropped) {
  const values = { t, conn, inRate, outRate, bytesIn, bytesOut, dropped };
  for (const [k, v] of Object.entries(values)) {
    series[k].push(v);
    if (series[k].length > POINTS) series[k].shift();
  }
}

function plot(parent, title, lines, data) {
  const box = el('figure', { class: 'card', 'aria-label': title }, el('figcaption', { class: 'label' }, title));
  parent.append(box);
  const width = () => Math.max(240, box.clientWidth - 24);
  const chart = new uPlot({
    width: width(), height: 180,
    series: [{}, ...lines.map(([label, stroke]) => ({ label, stroke, width: 2 }))],
    axes: [{}, { size: 60 }],
  }, data(), box);
  return {
    update: () => chart.setData(data()),
    resize: () => chart.setSize({ width: width(), height: 180 }),
    destroy: () => chart.destroy(),
  };
}
