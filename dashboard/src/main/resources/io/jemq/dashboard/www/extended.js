// Authorization → Extended, as EMQX Edge has it: the rows "HTTP" (acl_req) and "HTTP Super User" (super_req) of
// emq_auth_http, each with an Enable toggle and an edit form (Method, URL, Headers, Parameters, Save), and Settings →
// ACL Cache TTL. Changes apply at once and are written to etc/plugins/emq_auth_http.conf by the plugin.
import { api, get } from './api.js';
import { el, heading, attempt, table, say } from './ui.js';

const PLUGIN = 'emq_auth_http';
const P = 'auth.http.';
const ROWS = [
  { req: 'acl_req', name: 'HTTP', params: [['clientid', '%c'], ['username', '%u'], ['topic', '%t'], ['access', '%A']] },
  { req: 'super_req', name: 'HTTP Super User', params: [['clientid', '%c'], ['username', '%u']] },
];
const enc = encodeURIComponent;

export async function extended(main) {
  const body = el('div');
  main.append(heading('Authorization: Extended'), body);
  const draw = async () => {
    const plugins = await attempt(() => get('/plugins'));
    const loaded = plugins && plugins.result.some((p) => p.name === PLUGIN && p.active);
    if (!loaded) {
      const node = (await get('/management/nodes')).result[0].name;
      body.replaceChildren(el('p', {}, `The HTTP authorization plugin (${PLUGIN}) is not loaded.`),
        el('button', { type: 'button', id: 'load-http-plugin', onclick: async () => {
          if (await attempt(() => api('PUT', `/nodes/${enc(node)}/plugins/${PLUGIN}`, { active: true }),
            `${PLUGIN} loaded`)) await draw();
        } }, `Load ${PLUGIN}`));
      return;
    }
    const settings = (await attempt(() => get(`/plugins/${PLUGIN}/settings`)))?.result;
    if (!settings) return;
    const save = async (changes, done) => {
      const r = await attempt(() => api('PUT', `/plugins/${PLUGIN}/settings`, changes), done);
      if (r) await draw();
      return r;
    };
    body.replaceChildren(
      el('div', { class: 'toolbar' }, el('button', { type: 'button', class: 'secondary', id: 'http-settings',
        onclick: () => settingsDialog(settings, save) }, 'Settings')),
      table([
        ['Name', (r) => r.name],
        ['Method', (r) => (settings[`${P}${r.req}.url`] ? (settings[`${P}${r.req}.method`] || '').toUpperCase() : '')],
        ['URL', (r) => settings[`${P}${r.req}.url`] || '(not configured)'],
        ['Enable', (r) => toggle(r, settings, save)],
        ['Actions', (r) => el('button', { type: 'button', class: 'secondary', id: `edit-${r.req}`,
          'aria-label': `Edit ${r.name}`, onclick: () => editDialog(r, settings, save) }, '✎ Edit')],
      ], ROWS));
  };
  await draw();
}

function enabled(r, s) {
  return s[`${P}enable`] === 'on' && !!s[`${P}${r.req}.url`] && s[`${P}${r.req}.enable`] !== 'off';
}

function toggle(r, settings, save) {
  const box = el('input', { type: 'checkbox', role: 'switch', class: 'switch', id: `enable-${r.req}`,
    'aria-label': `Enable ${r.name}`, checked: enabled(r, settings) });
  box.addEventListener('change', async () => {
    if (box.checked && !settings[`${P}${r.req}.url`]) {
      box.checked = false;
      say(`Set the URL of ${r.name} first (Edit).`);
      editDialog(r, settings, save);
      return;
    }
    const changes = { [`${P}${r.req}.enable`]: box.checked ? 'on' : 'off' };
    if (box.checked) changes[`${P}enable`] = 'on';
    await save(changes, `${r.name} ${box.checked ? 'enabled' : 'disabled'}`);
  });
  return box;
}

/** Pairs under a prefix ({prefix}.key = value), in the order the plugin gives them. */
function pairs(settings, prefix) {
  return Object.entries(settings).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]);
}

function pairList(id, title, rows, keyLabel, valueLabel) {
  const list = el('div', { class: 'kv', id });
  const add = (k = '', v = '') => {
    const key = el('input', { 'aria-label': `${title} ${keyLabel}`, placeholder: keyLabel, value: k, class: 'kv-key' });
    const value = el('input', { 'aria-label': `${title} ${valueLabel}`, placeholder: valueLabel, value: v,
      class: 'kv-value' });
    const remove = el('button', { type: 'button', class: 'secondary', 'aria-label': `Remove ${title} row` }, '−');
    remove.addEventListener('click', () => { key.remove(); value.remove(); remove.remove(); });
    list.append(key, value, remove);
  };
  rows.forEach(([k, v]) => add(k, v));
  const read = () => {
    const keys = [...list.querySelectorAll('.kv-key')];
    const values = [...list.querySelectorAll('.kv-value')];
    return keys.map((k, i) => [k.value.trim(), values[i].value.trim()]).filter(([k]) => k);
  };
  const block = el('fieldset', {}, el('legend', {}, title), list,
    el('button', { type: 'button', class: 'secondary', id: `${id}-add`, onclick: () => add() }, `Add ${keyLabel}`));
  return { block, read };
}

function editDialog(r, settings, save) {
  const p = `${P}${r.req}.`;
  const configured = !!settings[`${p}url`];
  const method = el('select', { id: 'form-method', 'aria-label': 'Method' },
    ['POST', 'GET'].map((m) => el('option', { value: m }, m)));
  method.value = configured ? (settings[`${p}method`] || 'post').toUpperCase() : 'POST';
  if (!['POST', 'GET'].includes(method.value)) method.value = 'POST';
  const url = el('input', { id: 'form-url', type: 'url', required: true, 'aria-label': 'URL',
    placeholder: 'http://127.0.0.1:8991/mqtt/acl', value: settings[`${p}url`] || '' });
  const headers = pairList('form-headers', 'Headers', configured ? pairs(settings, `${p}headers.`)
    : [['content-type', 'application/x-www-form-urlencoded']], 'key', 'value');
  const params = pairList('form-params', 'Parameters', configured ? pairs(settings, `${p}params.`) : r.params,
    'key', 'placeholder');
  const error = el('p', { class: 'error', role: 'alert' });
  const dialog = el('dialog', { id: 'http-form', 'aria-label': `${r.name} settings` });
  const form = el('form', { method: 'dialog' }, el('h2', {}, r.name),
    el('label', { for: 'form-method' }, 'Method'), method, el('label', { for: 'form-url' }, 'URL'), url,
    headers.block, params.block, error,
    el('div', { class: 'toolbar' }, el('button', { type: 'submit', id: 'form-save' }, 'Save'),
      el('button', { type: 'button', class: 'secondary', onclick: () => dialog.close() }, 'Cancel')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!/^https?:\/\/.+/.test(url.value.trim())) {
      error.textContent = 'The URL must start with http:// or https://';
      return;
    }
    const changes = {};
    for (const k of Object.keys(settings)) {
      if (k.startsWith(`${p}headers.`) || k.startsWith(`${p}params.`)) changes[k] = null;
    }
    headers.read().forEach(([k, v]) => { changes[`${p}headers.${k}`] = v; });
    params.read().forEach(([k, v]) => { changes[`${p}params.${k}`] = v; });
    changes[`${p}url`] = url.value.trim();
    changes[`${p}method`] = method.value.toLowerCase();
    changes[`${p}enable`] = 'on';
    changes[`${P}enable`] = 'on';
    if (await save(changes, `${r.name} saved: in force now, and written to the plugin's config file`)) {
      dialog.close();
    }
  });
  dialog.append(form);
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
}

function settingsDialog(settings, save) {
  const ttl = el('input', { id: 'acl-cache-ttl', 'aria-label': 'ACL Cache TTL', placeholder: '0s, 30s, 5m',
    value: settings[`${P}acl_cache_ttl`] || '0s' });
  const dialog = el('dialog', { id: 'http-settings-form', 'aria-label': 'Settings' });
  const form = el('form', { method: 'dialog' }, el('h2', {}, 'Settings'),
    el('label', { for: 'acl-cache-ttl' }, 'ACL Cache TTL'), ttl,
    el('p', { class: 'hint' }, 'How long an allow from HTTP authorization is reused for the same check; 0 asks '
      + 'the server every time. A deny is never cached.'),
    el('div', { class: 'toolbar' }, el('button', { type: 'submit', id: 'settings-save' }, 'Save'),
      el('button', { type: 'button', class: 'secondary', onclick: () => dialog.close() }, 'Cancel')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (await save({ [`${P}acl_cache_ttl`]: ttl.value.trim() }, `ACL Cache TTL set to ${ttl.value.trim()}`)) {
      dialog.close();
    }
  });
  dialog.append(form);
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
}
