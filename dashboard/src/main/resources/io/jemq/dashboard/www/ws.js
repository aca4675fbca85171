// The WebSocket test page: connect to this broker over ws/wss, subscribe, publish, watch messages arrive.
import { get } from './api.js';
import { el, heading, say } from './ui.js';
import { MqttWs } from './mqtt-ws.js';

const CONNACK = ['accepted', 'unacceptable protocol version', 'client id rejected', 'server unavailable',
  'bad username or password', 'not authorized'];

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
    [0, 1].map((q) => el('option', { value: q }, `QoS ${q}`)));
  const retain = el('input', { type: 'checkbox', id: 'ws-retain' });
  const messages = el('tbody', { id: 'ws-messages' });
  const setState = (text, connected) => {
    state.textContent = text;
    connect.disabled = connected;
    disconnect.disabled = !connected;
  };
  const form = el('form', { class: 'toolbar', onsubmit: (e) => {
    e.preventDefault();
    if (client) client.close();
    setState('connecting…', true);
    client = new MqttWs(url.value.trim(), { clientId: clientId.value, username: username.value,
      password: password.value }, {
      onConnect: (rc) => {
        if (rc === 0) setState('connected', true);
        else { setState(`refused: ${CONNACK[rc] || rc}`, false); say(`Connection refused: ${CONNACK[rc] || rc}`); }
      },
      onSuback: (codes) => say(codes.every((c) => c < 0x80) ? 'subscribed' : 'subscription refused', codes[0] < 0x80),
      onMessage: (topic, text, qos, r) => messages.prepend(el('tr', {}, el('td', {}, new Date().toLocaleTimeString()),
        el('td', { class: 'wrap' }, topic), el('td', { class: 'wrap' }, text), el('td', {}, qos),
        el('td', {}, r ? 'yes' : ''))),
      onClose: (reason) => { setState(`disconnected: ${reason}`, false); client = null; },
    });
  } }, url, clientId, username, password, connect, disconnect, state);
  disconnect.addEventListener('click', () => client && client.close());
  const needClient = (f) => (e) => {
    e.preventDefault();
    if (!client) { say('Connect first.'); return; }
    f();
  };
  main.append(heading('WebSocket test'), form,
    el('h2', {}, 'Subscribe'),
    el('form', { class: 'toolbar', onsubmit: needClient(() => client.subscribe(subTopic.value, Number(subQos.value))) },
      subTopic, subQos, el('button', { type: 'submit', id: 'ws-subscribe' }, 'Subscribe')),
    el('h2', {}, 'Publish'),
    el('form', { class: 'toolbar', onsubmit: needClient(() => {
      client.publish(pubTopic.value, payload.value, Number(pubQos.value), retain.checked);
      say('published', true);
    }) }, pubTopic, payload, pubQos, el('label', {}, retain, ' retain'),
    el('button', { type: 'submit', id: 'ws-publish' }, 'Publish')),
    el('h2', {}, 'Messages'),
    el('div', { class: 'messages' }, el('table', {}, el('thead', {}, el('tr', {}, ['Time', 'Topic', 'Payload', 'QoS',
      'Retained'].map((h) => el('th', { scope: 'col' }, h)))), messages)));
  return () => client && client.close();
}
