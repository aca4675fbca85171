// Authorization: acl.conf as the broker read it (reload), and Explain: which source decides a check, and why.
import { api, get } from './api.js';
import { el, heading, attempt } from './ui.js';

export async function aclFile(main) {
  const body = el('div');
  const draw = (acl) => {
    body.replaceChildren(
      el('p', {}, `${acl.file || '(no file)'}: ${acl.rules} rule(s) in force; when no source has a rule, `
        + `mqtt.acl_nomatch = ${acl.acl_nomatch}.`),
      el('p', {}, 'Sources asked, in order: ', acl.acl_sources.join(' → ')),
      el('pre', { class: 'file', id: 'acl-text', tabindex: '0', 'aria-label': 'acl.conf' }, acl.text));
  };
  const reload = el('button', { type: 'button', id: 'acl-reload', onclick: async () => {
    const r = await attempt(() => api('POST', '/acl/reload'), 'acl.conf reloaded, the ACL caches emptied');
    if (r) draw(r.result);
  } }, 'Reload acl.conf');
  main.append(heading('Authorization: acl.conf'), el('div', { class: 'toolbar' }, reload,
    el('a', { href: '#/extended' }, 'Extended (HTTP authorization)'), el('a', { href: '#/explain' }, 'Explain a check')),
  body);
  const acl = await attempt(() => get('/acl'));
  if (acl) draw(acl.result);
}

export async function explain(main) {
  const who = el('select', { id: 'explain-who', 'aria-label': 'Identify the client by' },
    el('option', { value: 'clientid' }, 'Client id'), el('option', { value: 'username' }, 'Username and address'));
  const id = el('input', { id: 'explain-id', 'aria-label': 'Client id or username', placeholder: 'client id',
    required: true });
  const ip = el('input', { id: 'explain-ip', 'aria-label': 'IP address', placeholder: 'IP address (optional)',
    hidden: true });
  const access = el('select', { id: 'explain-access', 'aria-label': 'Access' },
    el('option', { value: 'publish' }, 'publish'), el('option', { value: 'subscribe' }, 'subscribe'));
  const topic = el('input', { id: 'explain-topic', 'aria-label': 'Topic', placeholder: 'topic', required: true });
  const out = el('section', { id: 'explain-result', 'aria-live': 'polite' });
  who.addEventListener('change', () => {
    ip.hidden = who.value !== 'username';
    id.placeholder = who.value === 'username' ? 'username' : 'client id';
  });
  const form = el('form', { class: 'toolbar', onsubmit: async (e) => {
    e.preventDefault();
    const q = new URLSearchParams({ access: access.value, topic: topic.value });
    q.set(who.value, id.value);
    if (who.value === 'username' && ip.value) q.set('ipaddress', ip.value);
    const r = await attempt(() => get(`/acl/explain?${q}`));
    if (r) show(out, r.result);
  } }, who, id, ip, access, topic, el('button', { type: 'submit', id: 'explain-go' }, 'Explain'));
  main.append(heading('Explain a check'),
    el('p', { class: 'hint' }, 'Asks every source as the real check would, and changes no cache.'), form, out);
}

function show(out, x) {
  out.replaceChildren(
    el('h2', { id: 'explain-answer' }, `${x.allowed ? 'Allowed' : 'Denied'}, decided by ${x.decidedBy}`),
    el('p', {}, x.reason),
    el('ol', { class: 'steps' }, x.steps.map((s) => el('li', {}, el('strong', {}, s.source), `: ${s.answer}`,
      s.notes.length ? el('ul', {}, s.notes.map((n) => el('li', {}, el('code', {}, n)))) : null))));
}
