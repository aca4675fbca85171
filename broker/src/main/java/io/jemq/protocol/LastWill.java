package io.jemq.protocol;

import io.jemq.access.AclDecision;
import io.jemq.api.Access;
import io.jemq.message.Message;
import io.jemq.message.Message.MessageProperties;
import io.jemq.session.Session;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;

/**
 * A connection's will: taken from CONNECT, cleared by a DISCONNECT (unless 5.0's "disconnect with will"), and when the
 * connection is lost checked against the ACL like a PUBLISH and handed to {@code will/Wills}, which publishes it now
 * or after the 5.0 will delay. Holds one reference to the will message until then. Event loop only.
 */
final class LastWill {
    private static final Logger log = LoggerFactory.getLogger(LastWill.class);

    private final Connection c;
    private Message will;
    private long delaySeconds;
    private boolean cleared;

    LastWill(Connection c) {
        this.c = c;
    }

    /** Takes the will of a valid CONNECT, its topic mounted; the connection's mountpoint is known by now. */
    void set(MqttConnectMessage connect) {
        var h = connect.variableHeader();
        if (!h.isWillFlag()) {
            return;
        }
        var p = connect.payload();
        MqttProperties wp = c.v5 ? p.willProperties() : MqttProperties.NO_PROPERTIES;
        long expiry = Mqtt5Properties.seconds(wp, MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL);
        long now = System.currentTimeMillis();
        will = new Message(c.mountpoint.mount(p.willTopic()), h.willQos(), h.isWillRetain(),
                Unpooled.wrappedBuffer(p.willMessageInBytes()), c.clientId, now,
                expiry > 0 ? now + expiry * 1000 : 0,
                c.v5 ? Mqtt5Properties.messageProperties(wp) : MessageProperties.NONE);
        delaySeconds = c.v5 ? Mqtt5Properties.seconds(wp, MqttPropertyType.WILL_DELAY_INTERVAL) : 0;
    }

    /** A DISCONNECT (other than 5.0's 0x04) means the client left on purpose: no will. */
    void clear() {
        cleared = true;
        release();
    }

    /**
     * The connection was lost after CONNECT: publish the will unless DISCONNECT cleared it.
     *
     * @param why for the log: the close reason, or "connection lost"
     */
    void onConnectionLost(String why) {
        if (will != null && !cleared) {
            Message w = will;
            will = null;
            Session s = c.session;
            long delay = s != null ? Math.min(delaySeconds, s.expirySeconds()) : 0;
            int attachment = c.sessionAttachment;
            CompletableFuture<AclDecision> allowed = c.acl == null ? AclDecision.ALLOW.stage()
                    : c.acl.check(Access.PUBLISH, c.mountpoint.unmount(w.topic()));   // as written, like a PUBLISH
            allowed.whenComplete((d, e) -> {
                if (AclDecision.of(allowed).allowed()) {
                    c.services.wills().publish(c.clientId, w, delay, c.channel.eventLoop(), why, s, attachment);
                } else {
                    log.info("will of {} to {} dropped: not authorized", c.clientId, w.topic());
                    w.release();
                }
            });
        }
        release();
    }

    void release() {
        if (will != null) {
            will.release();
            will = null;
        }
    }
}
