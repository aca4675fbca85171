// Users and client ids of the built-in stores (emq_auth_username, emq_auth_clientid): list, add, change a password,
// delete. The same as `bin/jemq ctl users|clientids ...`.
import { api, get, ApiError } from './api.js';
import { el, heading, table, attempt } from './ui.js';

const STORES = [
  { path: 'auth_username', field: 'username', title: 'Users', noun: 'user', plugin: 'emq_auth_username' },
  { path: 'auth_clientid', field: 'clientid', title: 'Client ids', noun: 'client id', plugin: 'emq_auth_clientid' },
];
const enc = encodeURIComponent;

export async function users(main) {
  main.append(heading('Users and client ids'));
  const loaded = new Set((await get('/plugins')).result.filter((p) => p.active).map((p) => p.name));
  for (const store of STORES) {
    const section = el('section', { id: `store-${store.path}` });
    main.append(section);
    await drawStore(section, store, loaded.has(store.plugin));
  }
}

async function drawStore(section, s, loaded) {
  let names;
  try {
    names = loaded ? (await get(`/${s.path}`)).result : null;
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 404) throw e;
  }
  if (!names) {
    section.replaceChildren(el('h2', {}, s.title),
      el('p', { class: 'hint' }, `The ${s.plugin} plugin is not loaded: load it on the Plugins page to keep ${s.noun}s `
        + 'here.'));
    return;
  }
  const redraw = () => drawStore(section, s, true);
  const name = el('input', { 'aria-label': `New ${s.noun}`, placeholder: s.noun, class: 'store-name' });
  const pw = el('input', { type: 'password', 'aria-label': `Password of the new ${s.noun}`, placeholder: 'password',
    class: 'store-password' });
  section.replaceChildren(el('h2', {}, s.title),
    table([
      [s.title.slice(0, -1), (n) => n],
      ['New password', (n) => passwordForm(s, n)],
      ['', (n) => el('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${s.noun} ${n}`,
        onclick: async () => {
          if (await attempt(() => api('DELETE', `/${s.path}/${enc(n)}`), `${s.noun} ${n} deleted`)) await redraw();
        } }, 'Delete')],
    ], names),
    el('form', { class: 'toolbar', onsubmit: async (e) => {
      e.preventDefault();
      if (await attempt(() => api('POST', `/${s.path}`, { [s.field]: name.value, password: pw.value }),
        `${s.noun} ${name.value} added`)) await redraw();
    } }, name, pw, el('button', { type: 'submit' }, `Add ${s.noun}`)));
}

function passwordForm(s, n) {
  const pw = el('input', { type: 'password', 'aria-label': `New password of ${n}`, placeholder: 'new password' });
  return el('form', { class: 'toolbar', onsubmit: async (e) => {
    e.preventDefault();
    if (await attempt(() => api('PUT', `/${s.path}/${enc(n)}`, { password: pw.value }), `password of ${n} changed`)) {
      pw.value = '';
    }
  } }, pw, el('button', { type: 'submit', class: 'secondary' }, 'Change'));
}
