// A small MQTT 3.1.1 client over WebSocket for the test page: CONNECT, SUBSCRIBE, PUBLISH (QoS 0 and 1 out, QoS 0,
// 1 and 2 in, acknowledged), PINGREQ. MQTT.js has no WebJar on Maven Central, and no Node build is wanted.
const te = new TextEncoder();
const td = new TextDecoder();

function str(s) {
  const b = te.encode(s);
  return [b.length >> 8, b.length & 255, ...b];
}

function packet(type, flags, body) {
  const len = [];
  let n = body.length;
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 128;
    len.push(byte);
  } while (n > 0);
  return new Uint8Array([(type << 4) | flags, ...len, ...body]);
}

export class MqttWs {
  /** handlers: onConnect(rc), onMessage(topic, text, qos, retain), onClose(reason), onSuback(codes) */
  constructor(url, options, handlers) {
    this.handlers = handlers;
    this.nextId = 1;
    this.buffer = new Uint8Array(0);
    this.ws = new WebSocket(url, ['mqtt']);
    this.ws.binaryType = 'arraybuffer';
    this.ws.onopen = () => this.send(this.connectPacket(options));
    this.ws.onmessage = (e) => this.receive(new Uint8Array(e.data));
    this.ws.onclose = (e) => {
      clearInterval(this.pinger);
      handlers.onClose(e.reason || `closed (code ${e.code})`);
    };
    this.ws.onerror = () => {};                  // onclose follows and says it
    this.pinger = setInterval(() => this.send(new Uint8Array([0xc0, 0])), 30000);
  }

  connectPacket({ clientId, username, password, clean = true }) {
    let flags = clean ? 2 : 0;
    const payload = [...str(clientId || '')];
    if (username) { flags |= 0x80; payload.push(...str(username)); }
    if (password) { flags |= 0x40; payload.push(...str(password)); }
    return packet(1, 0, [...str('MQTT'), 4, flags, 0, 60, ...payload]);
  }

  subscribe(topic, qos) {
    const id = this.id();
    this.send(packet(8, 2, [id >> 8, id & 255, ...str(topic), qos]));
  }

  publish(topic, text, qos, retain) {
    const head = [...str(topic)];
    if (qos > 0) {
      const id = this.id();
      head.push(id >> 8, id & 255);
    }
    this.send(packet(3, (qos << 1) | (retain ? 1 : 0), [...head, ...te.encode(text)]));
  }

  close() {
    if (this.ws.readyState === WebSocket.OPEN) this.send(new Uint8Array([0xe0, 0]));
    this.ws.close();
  }

  id() {
    const id = this.nextId;
    this.nextId = (this.nextId % 65535) + 1;
    return id;
  }

  send(bytes) {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(bytes);
  }

  receive(chunk) {
    const all = new Uint8Array(this.buffer.length + chunk.length);
    all.set(this.buffer);
    all.set(chunk, this.buffer.length);
    let at = 0;
    for (;;) {
      let len = 0;
      let mult = 1;
      let i = at + 1;
      let complete = false;
      while (i < all.length) {
        const b = all[i++];
        len += (b & 127) * mult;
        mult *= 128;
        if ((b & 128) === 0) { complete = true; break; }
      }
      if (!complete || i + len > all.length) break;
      this.handle(all[at], all.subarray(i, i + len));
      at = i + len;
    }
    this.buffer = all.slice(at);
  }

  handle(first, body) {
    const type = first >> 4;
    if (type === 2) {
      this.handlers.onConnect(body[1]);
    } else if (type === 9) {
      this.handlers.onSuback([...body.subarray(2)]);
    } else if (type === 3) {
      const qos = (first >> 1) & 3;
      const tlen = (body[0] << 8) | body[1];
      const topic = td.decode(body.subarray(2, 2 + tlen));
      let p = 2 + tlen;
      if (qos > 0) {
        this.send(new Uint8Array([qos === 1 ? 0x40 : 0x50, 2, body[p], body[p + 1]]));   // PUBACK / PUBREC
        p += 2;
      }
      this.handlers.onMessage(topic, td.decode(body.subarray(p)), qos, (first & 1) === 1);
    } else if (type === 6) {
      this.send(new Uint8Array([0x70, 2, body[0], body[1]]));                            // PUBREL → PUBCOMP
    } else if (type === 5) {
      this.send(new Uint8Array([0x62, 2, body[0], body[1]]));                            // PUBREC → PUBREL
    }
  }
}
