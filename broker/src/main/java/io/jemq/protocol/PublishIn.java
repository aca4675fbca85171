package io.jemq.protocol;

import io.jemq.access.AclDecision;
import io.jemq.api.Access;
import io.jemq.api.DisconnectReason;
import io.jemq.cluster.Accepted;
import io.jemq.cluster.ClusterRoutes;
import io.jemq.config.BrokerSettings;
import io.jemq.message.Message;
import io.jemq.message.Message.MessageProperties;
import io.jemq.routing.Topics;
import io.jemq.store.Store;
import io.jemq.store.Written;
import io.jemq.sys.Counter;
import io.jemq.sys.Counters;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A client's PUBLISH, from packet to routed message: the 5.0 topic alias resolved, the topic name checked, mounted,
 * the ACL asked (the packet waits in the gate when the answer is not at hand), QoS 2 receive state kept in the
 * session, the retained store's budget checked, then dispatched with this connection's
 * {@link io.jemq.flow.PublisherPause}, and PUBACK / PUBREC written. The decoder's payload becomes the message's
 * without a copy and is released in one place. Event loop only.
 */
final class PublishIn {
    private static final Logger log = LoggerFactory.getLogger(PublishIn.class);

    private final Connection c;
    private final Counters counters;
    private final BrokerSettings settings;
    private Map<Integer, String> inboundAliases;

    PublishIn(Connection c) {
        this.c = c;
        this.counters = c.services.counters();
        this.settings = c.services.settings();
    }

    void onPublish(MqttPublishMessage p) {
        int qos = p.fixedHeader().qosLevel().value();
        String topic = p.variableHeader().topicName();
        if (c.v5) {
            topic = resolveAlias(topic, p.variableHeader().properties());
            if (topic == null) {
                p.release();
                return;
            }
        }
        if (!Topics.isValidName(topic, settings.mqtt().maxTopicLevels())) {
            p.release();
            log.debug("client {} published to an invalid topic name {}", c.clientId, topic);
            c.errors.violation("invalid topic name", ReasonCodes.TOPIC_NAME_INVALID);
            return;
        }
        String written = topic;                              // what ACL rules are about, as in EMQ
        String mounted = c.mountpoint.mount(topic);
        counters.messageReceived(qos);
        CompletableFuture<AclDecision> allowed = c.acl.check(Access.PUBLISH, written);
        if (allowed.isDone()) {
            onChecked(p, mounted, AclDecision.of(allowed));
        } else {
            c.gate.await(allowed, (d, e) -> onChecked(p, mounted, AclDecision.of(allowed)));
        }
    }

    private void onChecked(MqttPublishMessage p, String topic, AclDecision decision) {
        int qos = p.fixedHeader().qosLevel().value();
        int packetId = p.variableHeader().packetId();
        if (c.state != Connection.State.CONNECTED) {
            p.release();                                      // closed while the ACL answer was on its way
            return;
        }
        if (!decision.allowed()) {
            onDenied(p, topic, qos, packetId);
            return;
        }
        if (qos == 0) {
            route(p, topic, 0, packetId);
            return;
        }
        // the QoS 2 receipt, the copies for persistent subscribers and a retained copy become durable as one unit:
        // the PUBACK / PUBREC waits for it (at once with the memory store)
        // and so do the other nodes it is forwarded to (a node alone: nothing to wait for, nothing allocated)
        Store store = c.services.store();
        ClusterRoutes cluster = c.services.cluster();
        store.beginUnit();
        cluster.beginUnit();
        int code;
        Written written;
        Accepted remote;
        try {
            code = qos == 2 && !receiveQos2(p, packetId) ? -1 : route(p, topic, qos, packetId);
        } finally {
            written = store.endUnit();
            remote = cluster.endUnit();
        }
        if (remote != null) {
            written = new WrittenAndAccepted(written, remote);
        }
        if (code >= 0) {
            c.acks.send(qos == 1 ? MqttMessageType.PUBACK : MqttMessageType.PUBREC, packetId, (byte) code, written);
        }
    }

    /** Builds the message and dispatches it. @return the reason code to acknowledge with, or -1 when answered */
    private int route(MqttPublishMessage p, String topic, int qos, int packetId) {
        MqttProperties props = p.variableHeader().properties();
        long now = System.currentTimeMillis();
        long expiry = c.v5 ? Mqtt5Properties.seconds(props, MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL) : 0;
        Message message = new Message(topic, qos, p.fixedHeader().isRetain(), p.payload(), c.clientId, now,
                expiry > 0 ? now + expiry * 1000 : 0,
                c.v5 ? Mqtt5Properties.messageProperties(props) : MessageProperties.NONE);
        if (message.isRetain() && !c.services.retainer().hasRoomFor(message)) {
            onRetainRefused(message, qos, packetId);
            return -1;
        }
        int receivers;
        try {
            receivers = c.services.publish(message, c.pause);
        } finally {
            message.release();
        }
        return c.v5 && receivers == 0 ? ReasonCodes.NO_MATCHING_SUBSCRIBERS : ReasonCodes.SUCCESS;
    }

    /**
     * Records a QoS 2 packet id as awaiting PUBREL. @return false when the packet is done with (released): a resend
     * of one already routed (PUBREC again), too many awaiting PUBREL, or a session that moved to another loop
     */
    private boolean receiveQos2(MqttPublishMessage p, int packetId) {
        if (!c.session.loop().inEventLoop()) {
            p.release();
            return false;
        }
        if (!c.session.inboundQos2().receive(packetId)) {
            p.release();                                      // a resend of one we already routed
            c.acks.send(MqttMessageType.PUBREC, packetId, ReasonCodes.SUCCESS, Written.DONE);
            return false;
        }
        int maxAwaitingRel = settings.session().maxAwaitingRel();
        if (c.session.inboundQos2().awaiting() <= maxAwaitingRel) {
            return true;
        }
        c.session.inboundQos2().release(packetId);
        p.release();
        counters.bump(Counter.MESSAGES_QOS2_DROPPED);
        counters.bump(Counter.MESSAGES_DROPPED);
        if (c.v5) {
            c.errors.violation("more QoS 2 messages awaiting PUBREL than the Receive Maximum",
                    ReasonCodes.RECEIVE_MAXIMUM_EXCEEDED);
        } else {
            log.warn("dropped QoS 2 message from {}: mqtt.session.max_awaiting_rel ({}) reached", c.clientId,
                    maxAwaitingRel);
        }
        return false;
    }

    /**
     * The retained store's budget is spent: the PUBLISH is refused whole (neither kept nor routed), so the client
     * knows where it stands. 5.0 clients get 0x97 (Quota exceeded); 3.1.1 clients, who cannot be told, get their
     * PUBACK/PUBREC so they don't resend it for ever, and the drop is counted and logged.
     */
    private void onRetainRefused(Message message, int qos, int packetId) {
        if (qos == 2) {
            c.session.inboundQos2().release(packetId);        // nothing awaits a PUBREL for it
        }
        message.release();
        counters.bump(Counter.MESSAGES_DROPPED);
        c.logRefusal("retained message to " + message.topic() + " refused: mqtt.budget.retained is spent");
        ack(qos, packetId, c.v5 ? ReasonCodes.QUOTA_EXCEEDED : ReasonCodes.SUCCESS);
    }

    /**
     * A denied PUBLISH is dropped. 3.1.1 clients still get their PUBACK/PUBREC so they don't resend it forever; 5.0
     * clients get 0x87; with {@code mqtt.acl_deny_action = disconnect} the connection is closed instead.
     */
    private void onDenied(MqttPublishMessage p, String topic, int qos, int packetId) {
        p.release();
        counters.bump(Counter.MESSAGES_DROPPED);
        log.debug("client {} (user {}) may not publish to {}: dropped", c.clientId, c.username, topic);
        if (c.services.access().disconnectOnDeny()) {
            c.disconnect(ReasonCodes.NOT_AUTHORIZED, "not authorized to publish to " + topic,
                    DisconnectReason.NOT_AUTHORIZED);
            return;
        }
        ack(qos, packetId, c.v5 ? ReasonCodes.NOT_AUTHORIZED : ReasonCodes.SUCCESS);
    }

    private void ack(int qos, int packetId, byte code) {
        if (qos == 1) {
            c.acks.send(MqttMessageType.PUBACK, packetId, code, Written.DONE);
        } else if (qos == 2) {
            c.acks.send(MqttMessageType.PUBREC, packetId, code, Written.DONE);
        }
    }

    /** @return the topic to use, or null after closing the connection for a bad alias */
    private String resolveAlias(String topic, MqttProperties props) {
        MqttProperties.MqttProperty<?> aliasProperty = props == null ? null
                : props.getProperty(MqttPropertyType.TOPIC_ALIAS.value());
        if (aliasProperty == null) {
            if (topic.isEmpty()) {
                c.errors.violation("empty topic without a topic alias", ReasonCodes.PROTOCOL_ERROR);
                return null;
            }
            return topic;
        }
        int alias = (Integer) aliasProperty.value();
        int max = settings.mqtt().maxTopicAlias();
        if (alias == 0 || alias > max) {
            c.errors.violation("topic alias " + alias + " above the maximum " + max,
                    ReasonCodes.TOPIC_ALIAS_INVALID);
            return null;
        }
        if (inboundAliases == null) {
            inboundAliases = new HashMap<>();
        }
        if (topic.isEmpty()) {
            String known = inboundAliases.get(alias);
            if (known == null) {
                c.errors.violation("unknown topic alias " + alias, ReasonCodes.PROTOCOL_ERROR);
            }
            return known;
        }
        inboundAliases.put(alias, topic);
        return topic;
    }
}
