#!/usr/bin/env python3
"""Writes the seed corpus of Mqtt311DecoderFuzzTest and Mqtt5DecoderFuzzTest (see DecoderFuzzing.java), and the
same inputs for ConnectionFuzzTest (its flag byte: 1 for the 3.1.1 CONNECT, 2 for the 5.0 one): valid packets of every type (3.1.1 and 5.0), a whole session, and the
malformed cases of PacketFramerTest. Each file is the packet bytes, six bytes of cut points (zero: one chunk, or the
given cuts) and a flag byte (1: the test sends its fixed CONNECT first; 0: the input brings its own). Run it from
anywhere; it rewrites only the seed-*.bin files it names. Findings saved by Jazzer (crash-*) are left alone."""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
CODEC = os.path.join(HERE, "..", "resources", "io", "jemq", "codec")


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def s(text):
    b = text.encode() if isinstance(text, str) else text
    return struct.pack(">H", len(b)) + b


def u16(n):
    return struct.pack(">H", n)


def u32(n):
    return struct.pack(">I", n)


def packet(first, body):
    return bytes([first]) + varint(len(body)) + body


def props(*items):
    body = b"".join(items)
    return varint(len(body)) + body


def user(k, v):
    return b"\x26" + s(k) + s(v)


def h(text):
    return bytes.fromhex(text)


# ---- 3.1.1 (and 3.1) ------------------------------------------------------------------------------------------
C311 = {
    "connect-will-user-password": packet(0x10, s("MQTT") + b"\x04\xee" + u16(60) + s("client-1") + s("will/t")
                                         + s("bye") + s("user") + s("secret")),
    "connect-empty-client-id": packet(0x10, s("MQTT") + b"\x04\x02" + u16(0) + s("")),
    "connect-31-mqisdp": packet(0x10, s("MQIsdp") + b"\x03\x02" + u16(30) + s("old-client")),
    "connect-utf8-client-id": packet(0x10, s("MQTT") + b"\x04\x02" + u16(60) + s("h\u00e9-\u20ac-\U0001F600")),
}
P311 = {
    "publish-qos0": packet(0x30, s("a/b") + b"hello"),
    "publish-qos1-retain": packet(0x33, s("sensors/\u00fc/1") + u16(7) + b"22.5"),
    "publish-qos2-dup": packet(0x3C, s("x") + u16(65535) + b""),
    "publish-empty-payload": packet(0x31, s("t")),
    "puback": packet(0x40, u16(1)),
    "pubrec": packet(0x50, u16(2)),
    "pubrel": packet(0x62, u16(2)),
    "pubcomp": packet(0x70, u16(2)),
    "subscribe": packet(0x82, u16(10) + s("a/+/c") + b"\x00" + s("#") + b"\x01" + s("$share/g/t") + b"\x02"),
    "unsubscribe": packet(0xA2, u16(11) + s("a/+/c") + s("#")),
    "pingreq": packet(0xC0, b""),
    "disconnect": packet(0xE0, b""),
    # packets only a server sends: decoded, then refused by the connection
    "connack": packet(0x20, b"\x00\x00"),
    "suback": packet(0x90, u16(10) + b"\x00\x01\x80"),
    "unsuback": packet(0xB0, u16(11)),
    "pingresp": packet(0xD0, b""),
}

# ---- 5.0 ------------------------------------------------------------------------------------------------------
C5 = {
    "connect-all-properties": packet(0x10, s("MQTT") + b"\x05\xee" + u16(60)
                                     + props(b"\x11" + u32(3600), b"\x21" + u16(20), b"\x27" + u32(65536),
                                             b"\x22" + u16(10), b"\x19\x01", b"\x17\x00", user("k", "v"),
                                             b"\x15" + s("SCRAM"), b"\x16" + s(b"\x00\x01"))
                                     + s("client-5")
                                     + props(b"\x18" + u32(5), b"\x01\x01", b"\x02" + u32(60), b"\x03" + s("text/plain"),
                                             b"\x08" + s("reply/to"), b"\x09" + s(b"corr"), user("wk", "wv"))
                                     + s("will/t") + s("bye") + s("user") + s("secret")),
    "connect-empty-properties": packet(0x10, s("MQTT") + b"\x05\x02" + u16(0) + props() + s("")),
}
P5 = {
    "publish-qos0": packet(0x30, s("a/b") + props() + b"hello"),
    "publish-all-properties": packet(0x32, s("a/b") + u16(5)
                                     + props(b"\x01\x01", b"\x02" + u32(10), b"\x23" + u16(1), b"\x08" + s("r/t"),
                                             b"\x09" + s(b"\xff\x00"), user("k", "v"), user("k", "v2"),
                                             b"\x0b" + varint(268435455), b"\x03" + s("application/json"))
                                     + b'{"x":1}'),
    "publish-topic-alias-only": packet(0x30, s("") + props(b"\x23" + u16(1)) + b"p"),
    "publish-qos2-retain": packet(0x35, s("r") + u16(9) + props() + b"retained"),
    "puback-short": packet(0x40, u16(1)),
    "puback-reason": packet(0x40, u16(1) + b"\x10"),
    "puback-reason-properties": packet(0x40, u16(1) + b"\x80" + props(b"\x1f" + s("nope"), user("k", "v"))),
    "pubrec": packet(0x50, u16(2) + b"\x00" + props()),
    "pubrel": packet(0x62, u16(2) + b"\x92" + props(b"\x1f" + s("gone"))),
    "pubcomp": packet(0x70, u16(2)),
    "subscribe-options": packet(0x82, u16(10) + props(b"\x0b" + varint(42), user("k", "v"))
                                + s("a/+/c") + b"\x2e" + s("#") + b"\x01" + s("$share/g/t") + b"\x12"),
    "unsubscribe": packet(0xA2, u16(11) + props(user("k", "v")) + s("a/+/c") + s("#")),
    "pingreq": packet(0xC0, b""),
    "disconnect-empty": packet(0xE0, b""),
    "disconnect-reason-properties": packet(0xE0, b"\x04" + props(b"\x11" + u32(0), b"\x1f" + s("bye"),
                                                                 b"\x1c" + s("other:1883"))),
    "auth": packet(0xF0, b"\x18" + props(b"\x15" + s("SCRAM"), b"\x16" + s(b"\x01\x02"), b"\x1f" + s("more"))),
    "connack": packet(0x20, b"\x00\x00" + props(b"\x12" + s("assigned"), b"\x13" + u16(30), b"\x1a" + s("info"),
                                                b"\x24\x01", b"\x25\x01", b"\x28\x01", b"\x29\x01", b"\x2a\x01")),
    "suback": packet(0x90, u16(10) + props() + b"\x00\x01\x80"),
    "unsuback": packet(0xB0, u16(11) + props() + b"\x00\x11"),
    "pingresp": packet(0xD0, b""),
}

PINGREQ = h("c0 00")
# PacketFramerTest's malformed cases, each followed by a PINGREQ that must not be decoded
BAD311 = {
    "topic-length-beyond-packet": h("30 0a 7f ff 61 62 63 64 65 66 67 68"),
    "topic-ill-formed-utf8": h("30 07 00 04 ff fe c3 28 78"),
    "topic-overlong-nul": h("32 0b 00 06 68 2f c0 80 2f 78 00 07 70"),
    "subscribe-filter-length-cut-short": h("82 03 00 01 00"),
    "publish-without-topic-length": h("30 01 00"),
    "publish-topic-length-16-in-3": h("30 05 00 10 61 62 63"),
    "unsubscribe-filter-length-9-in-0": h("a2 04 00 01 00 09"),
    "subscribe-filter-surrogate": h("82 08 00 01 00 03 ed a0 80 00"),
    "puback-of-3-bytes": h("40 03 00 01 00"),
    "pingreq-with-body": h("c0 01 00"),
    "remaining-length-5-bytes": h("30 ff ff ff ff 7f"),
    "too-large": h("30 80 80 80 05"),
    "good-then-bad": packet(0x30, s("a/b") + b"hi") + h("30 07 00 04 ff fe c3 28 78"),
}
BAD5 = {
    "property-length-beyond-packet": h("30 06 00 01 61 09 01 02"),
    "user-property-ill-formed-utf8": h("30 0b 00 01 61 07 26 00 01 ff 00 01 76"),
    "content-type-nul": h("30 08 00 01 61 04 03 00 01 00"),
    "unknown-property": h("30 06 00 01 61 02 7f 00"),
    "too-large": h("30 80 80 80 05"),
}
BAD_CONNECT = {
    "connect-client-id-ill-formed-utf8": h("10 0d 00 04 4d 51 54 54 04 02 00 3c 00 01 ff"),
    "connect-trailing-byte": h("10 0e 00 04 4d 51 54 54 04 02 00 3c 00 01 61 00"),
    "connect-will-topic-surrogate": h("10 15 00 04 4d 51 54 54 04 06 00 3c 00 01 61 00 03 ed a0 80 00 00"),
    "connect-user-name-ill-formed-utf8": h("10 10 00 04 4d 51 54 54 04 82 00 3c 00 01 61 00 01 c0"),
}


def write(target, name, data, flag, cuts=(0, 0, 0)):
    tail = b"".join(struct.pack(">H", c) for c in cuts)
    d = os.path.join(CODEC, target + "DecoderFuzzTestInputs", "decode")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name + ".bin"), "wb") as f:
        f.write(data + tail + bytes([flag]))
    d = os.path.join(CODEC, "..", "protocol", "ConnectionFuzzTestInputs", "connection")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + target.lower() + "-" + name + ".bin"), "wb") as f:
        f.write(data + tail + bytes([flag if target == "Mqtt311" else flag * 2]))


for target, connects, packets, bad in (("Mqtt311", C311, P311, BAD311), ("Mqtt5", C5, P5, BAD5)):
    for name, p in connects.items():
        write(target, name, p, 0)
    for name, p in packets.items():
        write(target, name, p + PINGREQ, 1)
    for name, p in bad.items():
        write(target, name, p + PINGREQ, 1)
    for name, p in BAD_CONNECT.items():
        write(target, name, p + PINGREQ, 0)
    session = list(connects.values())[0] + b"".join(packets.values())
    write(target, "session", session, 0)
    write(target, "session-in-pieces", session, 0, (3, len(session) // 2, len(session) - 2))
