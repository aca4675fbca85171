package io.jemq.bench.client;

import io.netty.buffer.ByteBuf;

/**
 * What a {@link BenchClient} reports to the scenario that owns it. Every method runs on the client's event loop,
 * so an implementation may keep plain fields as long as only that loop writes them.
 */
public interface Inbound {
    /** A listener for clients that only send, or only need to be connected. */
    Inbound NONE = new Inbound() { };

    /**
     * A PUBLISH arrived. Its payload is {@code length} bytes of {@code buffer} from {@code index}, valid only during
     * the call (no slice is made: this runs once per message). A QoS 1 or 2 message is acknowledged by the client
     * (PUBACK; PUBREC, then PUBCOMP for the broker's PUBREL).
     */
    default void onPublish(BenchClient client, ByteBuf buffer, int index, int length) {
    }

    /** The broker acknowledged the QoS 1 PUBLISH this client sent with {@code packetId}. */
    default void onPubAck(BenchClient client, int packetId) {
    }

    /** The broker completed the QoS 2 PUBLISH this client sent with {@code packetId} (PUBREC, PUBREL, PUBCOMP). */
    default void onPubComp(BenchClient client, int packetId) {
    }

    /** The socket drained below its low-water mark: a sender that stopped at {@code !isWritable()} may go on. */
    default void onWritable(BenchClient client) {
    }
}
