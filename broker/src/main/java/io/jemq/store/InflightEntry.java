package io.jemq.store;

import io.jemq.message.Delivery;

/**
 * One outbound delivery in a session's {@link InflightWindow}. Mutable, owned by the session's event loop: the
 * window changes its stage and delivery, the session stamps {@link #sentAtNanos} when it (re)sends.
 */
public final class InflightEntry {
    private final int packetId;
    private final long sequence;
    private Delivery delivery;
    private InflightWindow.Stage stage;
    /** When it was last written to the client, for retry_interval. */
    public long sentAtNanos;

    public InflightEntry(int packetId, long sequence, Delivery delivery, InflightWindow.Stage stage,
                         long sentAtNanos) {
        this.packetId = packetId;
        this.sequence = sequence;
        this.delivery = delivery;
        this.stage = stage;
        this.sentAtNanos = sentAtNanos;
    }

    public int packetId() {
        return packetId;
    }

    /** Order of first sending. */
    public long sequence() {
        return sequence;
    }

    /** Null once PUBREC arrived. */
    public Delivery delivery() {
        return delivery;
    }

    public InflightWindow.Stage stage() {
        return stage;
    }

    /** For implementations outside this package (the stage moves only through the window). */
    public void moveTo(InflightWindow.Stage next, Delivery keep) {
        this.stage = next;
        this.delivery = keep;
    }
}
