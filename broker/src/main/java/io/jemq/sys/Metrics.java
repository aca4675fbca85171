package io.jemq.sys;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The broker's counters, named as EMQ's {@code $SYS/brokers/<node>/metrics/...} tree names them. Incremented from
 * every event loop, so each is a {@link LongAdder} (no contention on the hot path); read rarely.
 */
public final class Metrics {
    public final LongAdder bytesReceived = new LongAdder();
    public final LongAdder bytesSent = new LongAdder();
    public final LongAdder packetsReceived = new LongAdder();
    public final LongAdder packetsSent = new LongAdder();
    public final LongAdder packetsConnect = new LongAdder();
    public final LongAdder packetsConnack = new LongAdder();
    public final LongAdder packetsPublishReceived = new LongAdder();
    public final LongAdder packetsPublishSent = new LongAdder();
    public final LongAdder packetsSubscribe = new LongAdder();
    public final LongAdder packetsSuback = new LongAdder();
    public final LongAdder packetsUnsubscribe = new LongAdder();
    public final LongAdder packetsUnsuback = new LongAdder();
    public final LongAdder packetsPingreq = new LongAdder();
    public final LongAdder packetsPingresp = new LongAdder();
    public final LongAdder packetsDisconnect = new LongAdder();
    /** Packets that could not be decoded or broke the protocol; each closed its connection. */
    public final LongAdder packetsMalformed = new LongAdder();
    public final LongAdder messagesReceived = new LongAdder();
    public final LongAdder messagesSent = new LongAdder();
    /** Messages that reached no one or were thrown away (queue full, expired, too large for the client). */
    public final LongAdder messagesDropped = new LongAdder();
    /** Messages dropped because a session's queue was full (a subset of dropped). */
    public final LongAdder messagesQueueDropped = new LongAdder();
    public final LongAdder messagesRetransmitted = new LongAdder();
    public final LongAdder connectionsRefused = new LongAdder();
    public final LongAdder[] messagesQosReceived = {new LongAdder(), new LongAdder(), new LongAdder()};
    public final LongAdder[] messagesQosSent = {new LongAdder(), new LongAdder(), new LongAdder()};

    /** A sorted snapshot: {@code packets/publish/received → 42}. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new TreeMap<>();
        m.put("bytes/received", bytesReceived.sum());
        m.put("bytes/sent", bytesSent.sum());
        m.put("packets/received", packetsReceived.sum());
        m.put("packets/sent", packetsSent.sum());
        m.put("packets/connect", packetsConnect.sum());
        m.put("packets/connack", packetsConnack.sum());
        m.put("packets/publish/received", packetsPublishReceived.sum());
        m.put("packets/publish/sent", packetsPublishSent.sum());
        m.put("packets/subscribe", packetsSubscribe.sum());
        m.put("packets/suback", packetsSuback.sum());
        m.put("packets/unsubscribe", packetsUnsubscribe.sum());
        m.put("packets/unsuback", packetsUnsuback.sum());
        m.put("packets/pingreq", packetsPingreq.sum());
        m.put("packets/pingresp", packetsPingresp.sum());
        m.put("packets/disconnect", packetsDisconnect.sum());
        m.put("packets/malformed", packetsMalformed.sum());
        m.put("messages/received", messagesReceived.sum());
        m.put("messages/sent", messagesSent.sum());
        m.put("messages/dropped", messagesDropped.sum());
        m.put("messages/dropped/queue_full", messagesQueueDropped.sum());
        m.put("messages/retransmitted", messagesRetransmitted.sum());
        m.put("connections/refused", connectionsRefused.sum());
        for (int q = 0; q < 3; q++) {
            m.put("messages/qos" + q + "/received", messagesQosReceived[q].sum());
            m.put("messages/qos" + q + "/sent", messagesQosSent[q].sum());
        }
        return m;
    }
}
