package io.jemq.api;

/**
 * An application message as broker events show it ({@link BrokerListener}): read-only, valid only during the call
 * that hands it over, on that event loop (the broker reuses and frees its buffers afterwards; copy what you keep).
 */
public interface PublishedMessage {
    String topic();

    int qos();

    /** The PUBLISH's retain flag. */
    boolean isRetain();

    /** The client id of the publisher; the client's own for a will; empty for a message from the HTTP API. */
    String publisherId();

    /** When the broker received it, in milliseconds since the epoch. */
    long createdAtMillis();

    int payloadSize();

    /** A copy of the payload. */
    byte[] payloadBytes();
}
