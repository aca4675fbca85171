package io.jemq.bench.scenario;

import io.jemq.bench.client.PublishTemplate;
import io.netty.buffer.ByteBuf;

/**
 * The payload of the QoS 0 scenarios: which publisher sent the message (an int) and its sequence number (a long),
 * then filler. The subscriber's highest sequence number per publisher tells each publisher how far behind delivery
 * is, even when the broker drops messages on the way.
 */
final class Sequenced {
    static final int BYTES = Integer.BYTES + Long.BYTES;

    private Sequenced() {
    }

    static byte[] payload(int publisher, int size) {
        if (size < BYTES) {
            throw new BenchException("--payload must be at least " + BYTES + " bytes");
        }
        byte[] payload = PublishTemplate.filler(size);
        payload[0] = (byte) (publisher >>> 24);
        payload[1] = (byte) (publisher >>> 16);
        payload[2] = (byte) (publisher >>> 8);
        payload[3] = (byte) publisher;
        return payload;
    }

    static int publisher(ByteBuf buffer, int payloadIndex) {
        return buffer.getInt(payloadIndex);
    }

    static long sequence(ByteBuf buffer, int payloadIndex) {
        return buffer.getLong(payloadIndex + Integer.BYTES);
    }

    static void setSequence(ByteBuf buffer, int payloadIndex, long sequence) {
        buffer.setLong(payloadIndex + Integer.BYTES, sequence);
    }
}
