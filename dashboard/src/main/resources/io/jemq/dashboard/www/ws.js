// The WebSocket test page: connect to this broker over ws/wss, subscribe, publish, watch messages arrive.
import { get } from './api.js';
import { el, heading, say } from './ui.js';
import mqtt from './vendor/mqtt.esm.js';

async function defaultUrl() {
  const node = (await get('/management/nodes')).result[0].name;
  const listeners = (await get(`/monitoring/listeners/${encodeURIComponent(node)}`)).result;
  const secure = location.protocol === 'https:';
  const ws = listeners.find((l) => l.protocol === (secure ? 'mqtt:wss' : 'mqtt:ws'))
    || listeners.find((l) => l.protocol === 'mqtt:ws' || l.protocol === 'mqtt:wss');
  if (!ws) return `ws://${location.hostname}:8083/mqtt`;
  const port = ws.listen.slice(ws.listen.lastIndexOf(':') + 1);
  return `${ws.protocol === 'mqtt:wss' ? 'wss' : 'ws'}://${location.hostname}:${port}/mqtt`;
}

const td = new TextDecoder();

export async function websocket(main) {
  let client = null;
  const url = el('input', { id: 'ws-url', 'aria-label': 'WebSocket URL', size: 40, value: await defaultUrl() });
  const clientId = el('input', { id: 'ws-client-id', 'aria-label': 'Client id',
    value: `dashboard-${Math.random().toString(16).slice(2, 10)}` });
  const username = el('input', { id: 'ws-username', 'aria-label': 'Username', placeholder: 'username' });
  const password = el('input', { id: 'ws-password', type: 'password', 'aria-label': 'Password',
    placeholder: 'password' });
  const state = el('span', { id: 'ws-state', 'aria-live': 'polite' }, 'disconnected');
  const connect = el('button', { type: 'submit', id: 'ws-connect' }, 'Connect');
  const disconnect = el('button', { type: 'button', class: 'secondary', id: 'ws-disconnect', disabled: true },
    'Disconnect');
  const subTopic = el('input', { id: 'ws-sub-topic', 'aria-label': 'Subscribe to topic', value: 'test/#' });
  const subQos = el('select', { id: 'ws-sub-qos', 'aria-label': 'Subscription QoS' },
    [0, 1, 2].map((q) => el('option', { value: q }, `QoS ${q}`)));
  const pubTopic = el('input', { id: 'ws-pub-topic', 'aria-label': 'Publish to topic', value: 'test/dashboard' });
  const payload = el('input', { id: 'ws-payload', 'aria-label': 'Payload', value: 'hello' });
  const pubQos = el('select', { id: 'ws-pub-qos', 'aria-label': 'Publish QoS' },
    [0, 1, 2].map((q) => el('option', { value: q }, `QoS ${q}`)));
  const retain = el('input', { type: 'checkbox', id: 'ws-retain' });
  const messages = el('tbody', { id: 'ws-messages' });
  const setState = (text, connected) => {
    state.textContent = text;
    connect.disabled = connected;
    disconnect.disabled = !connected;
  };
  const form = el('form', { class: 'toolbar', onsubmit: (e) => {
    e.preventDefault();
    if (client) client.end(true);
    setState('connecting…', true);
    // MQTT.js (vendor/, see dashboard/mqttjs.sh): one attempt, no automatic reconnection on a test page
    const c = mqtt.connect(url.value.trim(), { clientId: clientId.value, username: username.value || undefined,
      password: password.value || undefined, protocolVersion: 4, clean: true, reconnectPeriod: 0,
      connectTimeout: 10000, timerVariant: 'native' });   // native timers: no blob worker for the CSP to refuse
    client = c;
    let refusal = null;
    c.on('connect', () => setState('connected', true));
    c.on('error', (e) => {                        // a refused CONNECT, a broken socket: close follows
      refusal = e.message;
      say(e.message);
    });
    c.on('message', (topic, payload, packet) => messages.prepend(el('tr', {},
      el('td', {}, new Date().toLocaleTimeString()), el('td', { class: 'wrap' }, topic),
      el('td', { class: 'wrap' }, td.decode(payload)), el('td', {}, packet.qos),
      el('td', {}, packet.retain ? 'yes' : ''))));
    c.on('close', () => {
      if (client !== c) return;
      setState(refusal ? `refused: ${refusal}` : 'disconnected', false);
      c.end(true);
      client = null;
    });
  } }, url, clientId, username, password, connect, disconnect, state);
  disconnect.addEventListener('click', () => client && client.end());
  const needClient = (f) => (e) => {
    e.preventDefault();
    if (!client) { say('Connect first.'); return; }
    f();
  };
  main.append(heading('WebSocket test'), form,
    el('h2', {}, 'Subscribe'),
    el('form', { class: 'toolbar', onsubmit: needClient(() => client.subscribe(subTopic.value,
      { qos: Number(subQos.value) }, (err, granted) => {
        const ok = !err && granted.every((g) => g.qos < 0x80);
        say(ok ? 'subscribed' : `subscription refused${err ? `: ${err.message}` : ''}`, ok);
      })) },
      subTopic, subQos, el('button', { type: 'submit', id: 'ws-subscribe' }, 'Subscribe')),
    el('h2', {}, 'Publish'),
    el('form', { class: 'toolbar', onsubmit: needClient(() => {
      client.publish(pubTopic.value, payload.value, { qos: Number(pubQos.value), retain: retain.checked },
        (err) => say(err ? `not published: ${err.message}` : 'published', !err));
    }) }, pubTopic, payload, pubQos, el('label', {}, retain, ' retain'),
    el('button', { type: 'submit', id: 'ws-publish' }, 'Publish')),
    el('h2', {}, 'Messages'),
    el('div', { class: 'messages' }, el('table', {}, el('thead', {}, el('tr', {}, ['Time', 'Topic', 'Payload', 'QoS',
      'Retained'].map((h) => el('th', { scope: 'col' }, h)))), messages)));
  return () => client && client.end(true);
}
