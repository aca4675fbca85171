// Small DOM helpers: every text goes in through textContent, never as HTML.

/** el('button', {class: 'x', onclick: f}, 'text', child...) */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'value') e.value = v;
    else if (k === 'checked') e.checked = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

let alertTimer;

/** Shows a message at the bottom right: errors stay until the next action, confirmations fade. */
export function say(text, ok = false) {
  const box = document.getElementById('alert');
  box.textContent = text;
  box.className = ok ? 'ok' : '';
  box.hidden = false;
  clearTimeout(alertTimer);
  alertTimer = setTimeout(() => { box.hidden = true; }, ok ? 3000 : 8000);
}

/** Runs an API action; its failure is said, not thrown. */
export async function attempt(action, done) {
  try {
    const r = await action();
    if (done) say(done, true);
    return r;
  } catch (e) {
    say(e.message || String(e));
    return undefined;
  }
}

/** A table: columns are [title, row => cell text or node]. */
export function table(columns, rows, caption) {
  return el('table', {},
    caption ? el('caption', { class: 'hint' }, caption) : null,
    el('thead', {}, el('tr', {}, columns.map(([title]) => el('th', { scope: 'col' }, title)))),
    el('tbody', {}, rows.length === 0
      ? el('tr', {}, el('td', { colspan: columns.length, class: 'hint' }, 'Nothing here.'))
      : rows.map((row) => el('tr', {}, columns.map(([, cell]) => {
        const v = cell(row);
        return el('td', { class: 'wrap' }, v === undefined || v === null ? '' : v);
      })))));
}

/** Client-side paging of a list already loaded. */
export function pager(rows, size, render) {
  let page = 0;
  const holder = el('div');
  const draw = () => {
    const pages = Math.max(1, Math.ceil(rows.length / size));
    page = Math.min(page, pages - 1);
    holder.replaceChildren(render(rows.slice(page * size, page * size + size)),
      el('div', { class: 'toolbar' },
        el('button', { type: 'button', class: 'secondary', disabled: page === 0, onclick: () => { page--; draw(); } },
          'Previous'),
        el('span', {}, `Page ${page + 1} of ${pages} (${rows.length} in all)`),
        el('button', { type: 'button', class: 'secondary', disabled: page >= pages - 1,
          onclick: () => { page++; draw(); } }, 'Next')));
  };
  draw();
  return holder;
}

export function heading(text) {
  return el('h1', {}, text);
}
