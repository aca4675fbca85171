// The cluster's nodes: each with its status (Running, or Stopped for a node gone without leaving) and its figures as
// it last shared them. A node alone lists itself. Used by the Nodes page and the Overview.
import { get } from './api.js';
import { el, heading, table, say } from './ui.js';

const EVERY_MS = 5000;

/** management/nodes joined with monitoring/nodes: one row a node, this node first. */
export async function loadNodes() {
  const [info, monitoring] = await Promise.all([get('/management/nodes'), get('/monitoring/nodes')]);
  const figures = new Map(monitoring.result.map((m) => [m.name, m]));
  return info.result.map((n) => ({ ...figures.get(n.name), ...n }));
}

const mb = (bytes) => (bytes === undefined ? '' : `${Math.round(bytes / 1048576)} MB`);

/** The table of the nodes; rows carry data-node so a page (and a test) can find a node. */
export function nodesTable(rows) {
  const t = table([
    ['Node', (n) => n.name],
    ['Status', (n) => el('span', { class: n.node_status === 'Running' ? 'ok' : 'bad' }, n.node_status)],
    ['Version', (n) => n.version], ['Uptime', (n) => n.uptime], ['Connections', (n) => n.clients],
    ['Memory', (n) => (n.memory_used === undefined ? '' : `${mb(n.memory_used)} of ${mb(n.memory_total)}`)],
    ['Load', (n) => (n.load1 === undefined ? '' : `${n.load1} ${n.load5} ${n.load15}`)],
  ], rows);
  t.id = 'nodes';
  t.querySelectorAll('tbody tr').forEach((tr, i) => { if (rows[i]) tr.dataset.node = rows[i].name; });
  return t;
}

export async function nodes(main) {
  const holder = el('div');
  main.append(heading('Nodes'), holder);
  const draw = async () => {
    try {
      holder.replaceChildren(nodesTable(await loadNodes()));
    } catch (e) {
      say(e.message);
    }
  };
  await draw();
  const timer = setInterval(draw, EVERY_MS);
  return () => clearInterval(timer);
}
