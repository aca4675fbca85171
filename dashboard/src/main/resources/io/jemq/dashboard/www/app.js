// The shell: checks the session, then draws the page the location's hash names; a page may return a function
// that stops what it started (timers, sockets) when another page is drawn.
import { session, logout } from './api.js';
import { say } from './ui.js';
import { overview } from './overview.js';
import { clients, sessions, subscriptions, topics, retained, plugins, listeners, alarms, admins } from './lists.js';
import { aclFile, explain } from './acl.js';
import { extended } from './extended.js';
import { websocket } from './ws.js';
import { users } from './users.js';
import { nodes } from './nodes.js';

const pages = {
  overview, nodes, clients, sessions, subscriptions, topics, retained, plugins, listeners, alarms, acl: aclFile, explain,
  extended, admins, websocket, users,
};
let stop = null;

async function draw() {
  const name = (location.hash.replace(/^#\//, '') || 'overview').split('?')[0];
  const page = pages[name] || overview;
  if (stop) {
    stop();
    stop = null;
  }
  for (const a of document.querySelectorAll('nav.side a')) {
    if (a.getAttribute('href') === `#/${name}`) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const main = document.getElementById('page');
  main.replaceChildren();
  try {
    stop = (await page(main)) || null;
  } catch (e) {
    say(e.message || String(e));
  }
  main.focus({ preventScroll: true });
}

async function start() {
  const me = await session();
  document.getElementById('who').textContent = `Logged in as ${me.username}`;
  if (me.default_password) {
    const warn = document.getElementById('warning');
    warn.textContent = 'The admin still has the shipped password "public": change it on the Admins page.';
    warn.hidden = false;
  }
  document.getElementById('logout').addEventListener('click', logout);
  window.addEventListener('hashchange', draw);
  await draw();
}

start().catch((e) => say(e.message || String(e)));
