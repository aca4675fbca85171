package io.jemq.protocol;

import io.jemq.message.Message;
import io.jemq.message.Delivery;
import io.jemq.session.Outlet;
import io.jemq.sys.Counter;
import io.jemq.sys.Counters;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * Everything a connection writes: outbound PUBLISH (topic unmounted, 5.0 topic alias and the client's Maximum Packet
 * Size applied), the acknowledgements, CONNACK and DISCONNECT. Writes are batched: nothing is flushed until
 * {@link #flush} (at the end of a read, of a delivery batch, or of a step that was waiting).
 *
 * <p>It is the connection's {@link Outlet}: its session writes through it. Event loop only.
 */
final class PacketWriter implements Outlet, Runnable {
    private static final Logger log = LoggerFactory.getLogger(PacketWriter.class);
    private static final MqttMessage PINGRESP = new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGRESP,
            false, MqttQoS.AT_MOST_ONCE, false, 0));

    private final Connection c;
    private final ChannelHandlerContext ctx;
    private final Counters counters;
    private boolean wroteSinceFlush;
    private boolean flushQueued;
    private Map<String, Integer> outboundAliases;

    PacketWriter(Connection c) {
        this.c = c;
        this.ctx = c.ctx;
        this.counters = c.services.counters();
    }

    // ---------------------------------------------------------------- Outlet

    @Override
    public boolean sendPublish(Delivery d, int packetId, boolean dup) {
        if (c.mountpoint.isNone()) {
            return sendPublish(d, d.message(), packetId, dup);
        }
        Message shown = c.mountpoint.unmount(d.message());     // the topic as this client knows it
        try {
            return sendPublish(d, shown, packetId, dup);
        } finally {
            if (shown != d.message()) {
                shown.release();
            }
        }
    }

    private boolean sendPublish(Delivery d, Message m, int packetId, boolean dup) {
        long remainingExpiry = 0;
        if (m.expiresAtMillis() != 0) {
            remainingExpiry = Math.max(1, (m.expiresAtMillis() - System.currentTimeMillis() + 999) / 1000);
        }
        boolean sendTopic = true;
        int alias = 0;
        if (c.v5 && c.clientTopicAliasMaximum > 0) {
            if (outboundAliases == null) {
                outboundAliases = new HashMap<>();
            }
            Integer known = outboundAliases.get(m.topic());
            if (known != null) {
                alias = known;
                sendTopic = false;
            } else if (outboundAliases.size() < c.clientTopicAliasMaximum) {
                alias = outboundAliases.size() + 1;
                outboundAliases.put(m.topic(), alias);
            }
        }
        PublishEncoder.Header h = new PublishEncoder.Header(d.qos(), dup, d.retainFlag(), packetId, sendTopic, alias,
                d.subscriptionIds(), remainingExpiry);
        if (c.clientMaxPacketSize > 0 && PublishEncoder.packetSize(m, h, c.v5) > c.clientMaxPacketSize) {
            if (alias > 0 && sendTopic) {
                outboundAliases.remove(m.topic());
            }
            log.debug("dropped {} for {}: larger than its Maximum Packet Size {}", m, c.clientId,
                    c.clientMaxPacketSize);
            counters.bump(Counter.MESSAGES_DROPPED);
            return false;
        }
        PublishEncoder.Encoded e = PublishEncoder.encode(ctx.alloc(), m, h, c.v5);
        ctx.write(e.first(), ctx.voidPromise());
        if (e.second() != null) {
            ctx.write(e.second(), ctx.voidPromise());
        }
        wroteSinceFlush = true;
        counters.packetSent(MqttMessageType.PUBLISH.value());
        counters.messageSent(d.qos());
        return true;
    }

    @Override
    public void sendPubrel(int packetId) {
        pubReply(MqttMessageType.PUBREL, packetId, ReasonCodes.SUCCESS);
    }

    @Override
    public boolean isWritable() {
        return c.channel.isWritable();
    }

    @Override
    public int receiveMaximum() {
        return c.clientReceiveMaximum;
    }

    @Override
    public boolean retriesInflight() {
        return !c.v5;
    }

    @Override
    public void flush() {
        if (wroteSinceFlush) {
            wroteSinceFlush = false;
            ctx.flush();
        }
    }

    /**
     * The flush at the end of a read, run as the loop's next task instead of now: a PUBLISH this read routed to a
     * session on this loop is written by a drain task queued during the read, so the subscriber's copy leaves before
     * the publisher's PUBACK and its latency does not include that write (on loopback a send is tens of
     * microseconds: the kernel delivers to the peer inside the call). Queued at most once; this object is the task.
     */
    void flushAfterTasks() {
        if (wroteSinceFlush && !flushQueued) {
            flushQueued = true;
            ctx.executor().execute(this);
        }
    }

    /** The queued flush of {@link #flushAfterTasks}. */
    @Override
    public void run() {
        flushQueued = false;
        flush();
    }

    @Override
    public void kick() {
        c.takenOver();
    }

    // ---------------------------------------------------------------- acknowledgements and control packets

    /** PUBACK, PUBREC, PUBREL or PUBCOMP; a reason code other than success is sent to 5.0 clients only. */
    void pubReply(MqttMessageType type, int packetId, byte reasonCode) {
        if (!c.v5 || reasonCode == 0) {
            // the common case, one per QoS 1/2 message: four bytes written directly, no codec objects
            int first = type.value() << 4 | (type == MqttMessageType.PUBREL ? 0x02 : 0);
            ctx.write(ctx.alloc().buffer(4).writeByte(first).writeByte(2).writeShort(packetId), ctx.voidPromise());
            wroteSinceFlush = true;
            counters.packetSent(type.value());
            return;
        }
        MqttQoS qos = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
        write(new MqttMessage(new MqttFixedHeader(type, false, qos, false, 0),
                new MqttPubReplyMessageVariableHeader(packetId, reasonCode, MqttProperties.NO_PROPERTIES)));
    }

    void pingresp() {
        write(PINGRESP);
    }

    /** Any packet the codec encodes (CONNACK, SUBACK, UNSUBACK); flushed with the rest. */
    void write(MqttMessage m) {
        ctx.write(m, ctx.voidPromise());
        wroteSinceFlush = true;
        counters.packetSent(m.fixedHeader().messageType().value());
    }

    /** The refusing CONNACK, flushed, then the socket closes. */
    void refuseAndClose(MqttConnectReturnCode code, MqttProperties props) {
        ctx.writeAndFlush(new MqttConnAckMessage(new MqttFixedHeader(MqttMessageType.CONNACK, false,
                MqttQoS.AT_MOST_ONCE, false, 0), new MqttConnAckVariableHeader(code, false, props)))
                .addListener(ChannelFutureListener.CLOSE);
        counters.packetSent(MqttMessageType.CONNACK.value());
    }

    /** A 5.0 DISCONNECT with its reason, flushed; nothing for 3.x clients, before CONNACK, or on a closed socket. */
    void sendDisconnect(byte reasonCode, String reason) {
        if (!c.v5 || c.state != Connection.State.CONNECTED || !c.channel.isActive()) {
            return;
        }
        ctx.writeAndFlush(new MqttMessage(new MqttFixedHeader(MqttMessageType.DISCONNECT, false,
                MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttReasonCodeAndPropertiesVariableHeader(reasonCode, Mqtt5Properties.reasonString(reason))));
        counters.packetSent(MqttMessageType.DISCONNECT.value());
    }

    static int packetId(MqttMessage m) {
        Object h = m.variableHeader();
        return h instanceof MqttMessageIdVariableHeader id ? id.messageId() : 0;
    }
}
