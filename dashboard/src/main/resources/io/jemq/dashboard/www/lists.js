// The list pages: each loads its list from the REST API and draws a table; actions say what went wrong.
import { api, all, get } from './api.js';
import { el, heading, table, pager, attempt } from './ui.js';

const PAGE_SIZE = 20;
const enc = encodeURIComponent;

async function nodeName() {
  return (await get('/management/nodes')).result[0].name;
}

/** A button that asks once more before it acts (no blocking confirm() dialog). */
function twoStep(label, action) {
  const b = el('button', { type: 'button', class: 'danger' }, label);
  b.addEventListener('click', async () => {
    if (b.dataset.armed !== 'yes') {
      b.dataset.armed = 'yes';
      b.textContent = `Confirm: ${label.toLowerCase()}`;
      return;
    }
    b.disabled = true;
    await action();
  });
  return b;
}

export async function clients(main) {
  const node = await nodeName();
  const search = el('input', { type: 'search', id: 'client-search', placeholder: 'Client id, username or address',
    'aria-label': 'Search clients' });
  const list = el('div');
  const details = el('section', { id: 'client-details', 'aria-live': 'polite' });
  let asked = 0;
  const load = async () => {
    const mine = ++asked;
    const rows = await attempt(() => all(`/nodes/${enc(node)}/clients`)) || [];
    if (mine !== asked) return;                 // a newer search is on its way: draw only the latest answer
    const q = search.value.trim().toLowerCase();
    const shown = rows.filter((c) => !q || [c.client_id, c.username, c.ipaddress]
      .some((v) => v && String(v).toLowerCase().includes(q)));
    list.replaceChildren(pager(shown, PAGE_SIZE, (page) => table([
      ['Client id', (c) => el('button', { type: 'button', class: 'secondary', onclick: () => show(c) }, c.client_id)],
      ['Username', (c) => c.username], ['Address', (c) => `${c.ipaddress}:${c.port}`],
      ['Protocol', (c) => c.proto_ver], ['Keepalive', (c) => c.keepalive], ['Connected at', (c) => c.connected_at],
      ['', (c) => twoStep('Kick', async () => {
        if (await attempt(() => api('DELETE', `/clients/${enc(c.client_id)}`), `${c.client_id} kicked`)) {
          details.replaceChildren();
          await load();
        }
      })],
    ], page)));
  };
  const show = async (c) => {
    const s = await attempt(() => get(`/sessions/${enc(c.client_id)}`));
    const subs = await attempt(() => get(`/subscriptions/${enc(c.client_id)}`));
    const session = s ? s.result.objects[0] || {} : {};
    const rows = Object.entries({ ...c, ...session });
    details.replaceChildren(el('h2', {}, `Client ${c.client_id}`),
      table([['Field', (r) => r[0]], ['Value', (r) => String(r[1])]], rows),
      el('h2', {}, 'Subscriptions'),
      table([['Topic', (r) => r.topic], ['QoS', (r) => r.qos]], subs ? subs.result.objects : []));
  };
  let typing;
  search.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(load, 250);
  });
  main.append(heading('Clients'), el('div', { class: 'toolbar' }, search,
    el('button', { type: 'button', class: 'secondary', onclick: load }, 'Refresh')), list, details);
  await load();
}

export async function sessions(main) {
  const node = await nodeName();
  const rows = await attempt(() => all(`/nodes/${enc(node)}/sessions`)) || [];
  main.append(heading('Sessions'), pager(rows, PAGE_SIZE, (page) => table([
    ['Client id', (s) => s.client_id], ['Connected', (s) => (s.connected ? 'yes' : 'no')],
    ['Clean', (s) => String(s.clean_sess)], ['Subscriptions', (s) => s.subscriptions],
    ['Inflight', (s) => `${s.inflight_len} / ${s.max_inflight}`], ['Queued', (s) => s.mqueue_len],
    ['Dropped', (s) => s.mqueue_dropped], ['Created at', (s) => s.created_at],
  ], page)));
}

export async function subscriptions(main) {
  const node = await nodeName();
  const rows = await attempt(() => all(`/nodes/${enc(node)}/subscriptions`)) || [];
  main.append(heading('Subscriptions'), pager(rows, PAGE_SIZE, (page) => table([
    ['Client id', (s) => s.client_id], ['Topic filter', (s) => s.topic], ['QoS', (s) => s.qos],
  ], page)));
}

export async function topics(main) {
  const rows = await attempt(() => all('/routes')) || [];
  main.append(heading('Topics and routes'), pager(rows, PAGE_SIZE, (page) => table([
    ['Topic filter', (r) => r.topic], ['Node', (r) => r.node],
  ], page)));
}

export async function retained(main) {
  const list = el('div');
  const load = async () => {
    const rows = await attempt(() => all('/retained')) || [];
    list.replaceChildren(pager(rows, PAGE_SIZE, (page) => table([
      ['Topic', (m) => m.topic], ['QoS', (m) => m.qos], ['Payload', (m) => m.payload],
      ['From', (m) => m.from], ['Stored at', (m) => m.created_at],
      ['', (m) => twoStep('Delete', async () => {
        await attempt(() => api('DELETE', `/retained/${enc(m.topic)}`), `retained message on ${m.topic} deleted`);
        await load();
      })],
    ], page)));
  };
  main.append(heading('Retained messages'), list);
  await load();
}

export async function plugins(main) {
  const node = await nodeName();
  const body = el('div');
  const load = async () => {
    const [rows, acl] = await Promise.all([attempt(() => get(`/nodes/${enc(node)}/plugins`)),
      attempt(() => get('/acl'))]);
    body.replaceChildren(table([
      ['Plugin', (p) => p.name], ['Version', (p) => p.version], ['Description', (p) => p.description],
      ['State', (p) => (p.active ? 'loaded' : 'not loaded')],
      ['', (p) => el('button', { type: 'button', class: p.active ? 'danger' : '', 'data-plugin': p.name,
        onclick: async () => {
          await attempt(() => api('PUT', `/nodes/${enc(node)}/plugins/${enc(p.name)}`, { active: !p.active }),
            `${p.name} ${p.active ? 'unloaded' : 'loaded'}`);
          await load();
        } }, p.active ? 'Unload' : 'Load')],
    ], rows ? rows.result : []),
    el('h2', {}, 'Chain order'),
    el('p', {}, 'Authentication asks, in order: ', (acl ? acl.result.auth_plugins : []).join(' → ') || '(no plugin)',
      ', then mqtt.allow_anonymous.'),
    el('p', { id: 'acl-order' }, 'Authorization asks, in order: ', (acl ? acl.result.acl_sources : []).join(' → '),
      ', then mqtt.acl_nomatch (', acl ? acl.result.acl_nomatch : '', ').'));
  };
  main.append(heading('Plugins'), body);
  await load();
}

export async function listeners(main) {
  const node = await nodeName();
  const rows = (await attempt(() => get(`/monitoring/listeners/${enc(node)}`)))?.result || [];
  main.append(heading('Listeners'), table([
    ['Protocol', (l) => l.protocol], ['Address', (l) => l.listen], ['Acceptors', (l) => l.acceptors],
    ['Max clients', (l) => l.max_clients], ['Clients now', (l) => l.current_clients],
  ], rows));
}

export async function alarms(main) {
  const rows = (await attempt(() => get('/alarms')))?.result || [];
  main.append(heading('Alarms'), table([
    ['Alarm', (a) => a.id], ['Severity', (a) => a.severity], ['Message', (a) => a.summary],
    ['Raised at', (a) => a.occurred_at],
  ], rows));
}

export async function admins(main) {
  const list = el('div');
  const load = async () => {
    const rows = (await attempt(() => get('/users')))?.result || [];
    list.replaceChildren(table([
      ['Admin', (a) => a.username], ['Tags', (a) => a.tags],
      ['', (a) => twoStep('Delete', async () => {
        await attempt(() => api('DELETE', `/users/${enc(a.username)}`), `${a.username} deleted`);
        await load();
      })],
    ], rows));
  };
  const name = el('input', { id: 'admin-name', 'aria-label': 'New admin name', placeholder: 'name' });
  const pw = el('input', { id: 'admin-password', type: 'password', 'aria-label': 'Password', placeholder: 'password' });
  const add = el('form', { class: 'toolbar', onsubmit: async (e) => {
    e.preventDefault();
    if (await attempt(() => api('POST', '/users', { username: name.value, password: pw.value, tags: '' }),
      `${name.value} added`)) {
      name.value = '';
      pw.value = '';
      await load();
    }
  } }, name, pw, el('button', { type: 'submit' }, 'Add admin'));
  const who = el('input', { 'aria-label': 'Admin', placeholder: 'admin' });
  const old = el('input', { type: 'password', 'aria-label': 'Old password', placeholder: 'old password' });
  const fresh = el('input', { type: 'password', 'aria-label': 'New password', placeholder: 'new password' });
  const change = el('form', { class: 'toolbar', onsubmit: async (e) => {
    e.preventDefault();
    await attempt(() => api('PUT', `/change_pwd/${enc(who.value)}`, { old_pwd: old.value, new_pwd: fresh.value }),
      'password changed');
  } }, who, old, fresh, el('button', { type: 'submit' }, 'Change password'));
  main.append(heading('Admins'), list, el('h2', {}, 'Add an admin'), add, el('h2', {}, 'Change a password'), change);
  await load();

}
