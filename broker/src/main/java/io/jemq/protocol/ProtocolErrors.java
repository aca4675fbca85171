package io.jemq.protocol;

import io.jemq.api.DisconnectReason;
import io.jemq.codec.PacketFramer;
import io.jemq.sys.Counter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * What ends a connection because of what the client sent, or failed: a protocol violation (5.0 clients get a
 * DISCONNECT naming it first), a packet the framer or decoder found malformed or too large (a malformed CONNECT is
 * refused with its CONNACK code instead), and exceptions from the pipeline. Each is counted and logged at debug,
 * since a client can cause it at will. Event loop only.
 */
final class ProtocolErrors {
    private static final Logger log = LoggerFactory.getLogger(ProtocolErrors.class);

    private final Connection c;

    ProtocolErrors(Connection c) {
        this.c = c;
    }

    /** Closes with a 5.0 DISCONNECT first when we can; counts the packet as malformed. */
    void violation(String why, byte reasonCode) {
        log.debug("closing client {} ({}): {}", c.clientId, c.channel.remoteAddress(), why);
        c.services.counters().bump(Counter.PACKETS_MALFORMED);
        c.disconnect(reasonCode, why, DisconnectReason.PROTOCOL_ERROR);
    }

    /** The decoder could not make a packet of it; a CONNECT the decoder refused is answered with its CONNACK. */
    void malformed(MqttMessage m) {
        Throwable cause = m.decoderResult().cause();
        c.services.counters().bump(Counter.PACKETS_MALFORMED);
        ReferenceCountUtil.release(m);
        if (c.state == Connection.State.AWAIT_CONNECT) {
            if (cause instanceof MqttUnacceptableProtocolVersionException) {
                log.debug("refused {}: {}", c.channel.remoteAddress(), cause.getMessage());
                c.connect.refuse(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION, null);
                return;
            }
            if (cause instanceof MqttIdentifierRejectedException) {
                log.debug("refused {}: {}", c.channel.remoteAddress(), cause.getMessage());
                c.connect.refuse(c.v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID
                        : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, null);
                return;
            }
        }
        boolean tooLarge = cause instanceof TooLongFrameException
                || cause instanceof DecoderException && cause.getCause() instanceof TooLongFrameException;
        log.debug("closing client {} ({}): malformed packet: {}", c.clientId, c.channel.remoteAddress(),
                cause == null ? "?" : cause.getMessage());
        if (tooLarge) {
            c.disconnect(ReasonCodes.PACKET_TOO_LARGE, "packet too large", DisconnectReason.PACKET_TOO_LARGE);
        } else {
            c.disconnect(ReasonCodes.MALFORMED_PACKET, "malformed packet", DisconnectReason.MALFORMED_PACKET);
        }
    }

    /** What the framer found (it counted it already). @return whether the event was one of its */
    boolean framerEvent(Object evt) {
        if (evt == PacketFramer.TOO_LARGE) {
            log.debug("closing client {} ({}): packet above mqtt.max_packet_size", c.clientId,
                    c.channel.remoteAddress());
            c.disconnect(ReasonCodes.PACKET_TOO_LARGE, "packet too large", DisconnectReason.PACKET_TOO_LARGE);
            return true;
        }
        if (evt instanceof PacketFramer.Malformed m) {
            log.debug("closing client {} ({}): malformed packet: {}", c.clientId, c.channel.remoteAddress(),
                    m.reason());
            c.disconnect(ReasonCodes.MALFORMED_PACKET, m.reason(), DisconnectReason.MALFORMED_PACKET);
            return true;
        }
        return false;
    }

    /** The pipeline failed: a network error quietly, anything else with its stack trace. */
    void exception(Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("connection {} of {}: {}", c.channel.remoteAddress(), c.clientId, cause.toString());
            c.close(DisconnectReason.CLOSED);
        } else {
            log.warn("connection {} of {} failed", c.channel.remoteAddress(), c.clientId, cause);
            c.close(DisconnectReason.INTERNAL_ERROR);
        }
    }
}
