package io.jemq.store.rocksdb;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The key layout, one byte of prefix per kind of record:
 * <pre>
 *   m clientId 0x00 incarnation   a session: expiry, subscriptions, will (Codec.session)
 *   q incarnation seq             one message waiting for that session, queued or in flight (Codec.delivery)
 *   i incarnation seq             the packet id and stage of a QoS 2 message in flight (2 + 1 bytes)
 *   r incarnation packetId        an inbound QoS 2 packet id awaiting PUBREL (empty value)
 *   t topic                       a retained message (Codec.message)
 *   w incarnation                 the will of a session whose connection left, while its delay runs (Codec.will)
 * </pre>
 * An incarnation is the number a session got when it became persistent: a clean start of the same client id makes
 * a new one, so whatever the old session's end has not yet deleted can never be mistaken for the new session's. Numbers
 * are big-endian so keys sort by them. Client ids never hold U+0000 (MQTT forbids it), so 0x00 ends one.
 */
final class Keys {
    static final byte SESSION = 'm';
    static final byte QUEUED = 'q';
    static final byte INFLIGHT = 'i';
    static final byte RECEIPT = 'r';
    static final byte RETAINED = 't';
    static final byte WILL = 'w';

    private Keys() {
    }

    static byte[] session(String clientId, long incarnation) {
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + id.length + 1 + 8).put(SESSION).put(id).put((byte) 0).putLong(incarnation)
                .array();
    }

    static String sessionClientId(byte[] key) {
        return new String(key, 1, key.length - 10, StandardCharsets.UTF_8);
    }

    static long sessionIncarnation(byte[] key) {
        return ByteBuffer.wrap(key, key.length - 8, 8).getLong();
    }

    /** Made for every queued message and its delete: plain shifts, no ByteBuffer. */
    static byte[] message(byte kind, long incarnation, long seq) {
        byte[] key = new byte[17];
        key[0] = kind;
        for (int i = 0; i < 8; i++) {
            key[1 + i] = (byte) (incarnation >>> 56 - 8 * i);
            key[9 + i] = (byte) (seq >>> 56 - 8 * i);
        }
        return key;
    }

    static byte[] receipt(long incarnation, int packetId) {
        return ByteBuffer.allocate(11).put(RECEIPT).putLong(incarnation).putShort((short) packetId).array();
    }

    /** The first key of a session's records of one kind. */
    static byte[] first(byte kind, long incarnation) {
        return ByteBuffer.allocate(9).put(kind).putLong(incarnation).array();
    }

    /** The key after the last of a session's records of one kind (exclusive end of its range). */
    static byte[] end(byte kind, long incarnation) {
        return ByteBuffer.allocate(9).put(kind).putLong(incarnation + 1).array();
    }

    static long incarnation(byte[] key) {
        return ByteBuffer.wrap(key, 1, 8).getLong();
    }

    /** The seq of a q or i key, the packet id of an r key. */
    static long tail(byte[] key) {
        return key.length == 17 ? ByteBuffer.wrap(key, 9, 8).getLong() : ByteBuffer.wrap(key, 9, 2).getShort() & 0xFFFF;
    }

    static byte[] will(long incarnation) {
        return first(WILL, incarnation);
    }

    static byte[] retained(String topic) {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        byte[] key = new byte[t.length + 1];
        key[0] = RETAINED;
        System.arraycopy(t, 0, key, 1, t.length);
        return key;
    }

    static String retainedTopic(byte[] key) {
        return new String(key, 1, key.length - 1, StandardCharsets.UTF_8);
    }
}
