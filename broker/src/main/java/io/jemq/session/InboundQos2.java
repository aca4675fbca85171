package io.jemq.session;

import io.jemq.store.Qos2Receipts;

/**
 * The QoS 2 messages a session received and routed whose PUBREL has not come yet: a resend of one of them is
 * answered with PUBREC again and not routed twice. The receipts are in the session's store, so a disk store keeps
 * this promise across a restart.
 *
 * <p>Threads: the session's owner loop.
 */
public final class InboundQos2 {
    private final Session session;
    private final Qos2Receipts receipts;
    private final OutboundWindow window;

    InboundQos2(Session session, Qos2Receipts receipts, OutboundWindow window) {
        this.session = session;
        this.receipts = receipts;
        this.window = window;
    }

    /**
     * An inbound QoS 2 PUBLISH. @return true when it is new (route it), false when it is a resend of a packet id
     * still awaiting PUBREL (answer PUBREC again, don't route twice).
     */
    public boolean receive(int packetId) {
        assert session.loop().inEventLoop();
        if (receipts.awaitsRelease(packetId)) {
            return false;
        }
        receipts.receive(packetId, System.nanoTime());
        window.armRetry();
        return true;
    }

    /** How many await PUBREL. */
    public int awaiting() {
        return receipts.size();
    }

    /** A PUBREL arrived. @return false when the id was not awaiting release (the 5.0 PUBCOMP says 0x92). */
    public boolean release(int packetId) {
        assert session.loop().inEventLoop();
        return receipts.release(packetId);
    }
}
