package io.jemq.protocol;

import io.jemq.store.Store;
import io.jemq.store.Written;
import io.jemq.sys.Counter;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's acknowledgements, passed to its session: PUBACK and PUBCOMP end a delivery, PUBREC moves a QoS 2
 * delivery on (PUBREL is written back), PUBREL completes a QoS 2 message the client sent (PUBCOMP is written back).
 * After the session moved to a newer connection's loop they are ignored. Event loop only.
 */
final class AcksIn {
    private static final Logger log = LoggerFactory.getLogger(AcksIn.class);

    private final Connection c;
    private Written written = Written.DONE;

    AcksIn(Connection c) {
        this.c = c;
    }

    void onPuback(MqttMessage m) {
        int id = PacketWriter.packetId(m);
        if (c.ownsSession() && !c.session.onPuback(id)) {
            c.services.counters().bump(Counter.PACKETS_PUBACK_MISSED);
            log.debug("client {} acknowledged unknown packet id {} (PUBACK)", c.clientId, id);
        }
    }

    void onPubrec(MqttMessage m) {
        int id = PacketWriter.packetId(m);
        if (!c.ownsSession()) {
            return;
        }
        if (c.v5 && m.variableHeader() instanceof MqttPubReplyMessageVariableHeader h
                && (h.reasonCode() & 0x80) != 0) {
            c.session.onPubrecFailed(id);
            return;
        }
        if (!c.session.onPubrec(id)) {
            c.services.counters().bump(Counter.PACKETS_PUBREC_MISSED);
            // the spec's answer to a PUBREC we don't know: PUBREL anyway (5.0 says "not found")
            c.out.pubReply(MqttMessageType.PUBREL, id, ReasonCodes.PACKET_ID_NOT_FOUND);
        }
    }

    void onPubrel(MqttMessage m) {
        int id = PacketWriter.packetId(m);
        if (!c.ownsSession()) {
            return;
        }
        // the id is free for the client to use again once PUBCOMP is out: the store must have forgotten it by then,
        // or a restarted broker would take the next message under that id for a resend
        Store store = c.services.store();
        store.beginUnit();
        boolean known;
        try {
            known = c.session.inboundQos2().release(id);
        } finally {
            written = store.endUnit();
        }
        if (!known) {
            c.services.counters().bump(Counter.PACKETS_PUBREL_MISSED);
        }
        c.acks.send(MqttMessageType.PUBCOMP, id, known ? ReasonCodes.SUCCESS : ReasonCodes.PACKET_ID_NOT_FOUND,
                written);
    }

    void onPubcomp(MqttMessage m) {
        int id = PacketWriter.packetId(m);
        if (c.ownsSession() && !c.session.onPubcomp(id)) {
            c.services.counters().bump(Counter.PACKETS_PUBCOMP_MISSED);
            log.debug("client {} completed unknown packet id {} (PUBCOMP)", c.clientId, id);
        }
    }
}
