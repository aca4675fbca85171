package io.jemq.protocol;

import io.jemq.access.AclDecision;
import io.jemq.access.ClientAcl;
import io.jemq.events.BrokerEvents;
import io.jemq.limits.QuotaExceededException;
import io.jemq.routing.SubOptions;
import io.jemq.routing.TopicFilter;
import io.jemq.routing.Topics;
import io.jemq.message.Delivery;
import io.jemq.store.Store;
import io.jemq.store.Written;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * SUBSCRIBE and UNSUBSCRIBE: each filter parsed, checked against the topic level limit, mounted, asked of the ACL
 * (the packet waits in the gate for answers not at hand) and of the subscription budget, then given to the session;
 * SUBACK carries a code per filter, and the retained messages a new subscription should see follow it. Tells the
 * broker's listeners each subscription granted or removed, with the filter as the client wrote it. Event loop only.
 */
final class SubscribeFlow {
    private static final Logger log = LoggerFactory.getLogger(SubscribeFlow.class);
    /** Marks a filter whose options break the protocol: the connection is closed, no SUBACK. */
    private static final int VIOLATION = -1;

    private final Connection c;

    SubscribeFlow(Connection c) {
        this.c = c;
    }

    void onSubscribe(MqttSubscribeMessage m) {
        if (!c.ownsSession()) {
            return;
        }
        List<CompletableFuture<AclDecision>> checks = c.acl.checkFilters(m.payload().topicSubscriptions().stream()
                .map(MqttTopicSubscription::topicName).toList());
        CompletableFuture<Void> all = ClientAcl.whenAllDone(checks);
        if (all == null) {
            onChecked(m, checks);
        } else {
            c.gate.await(all, (v, e) -> onChecked(m, checks));
        }
    }

    private void onChecked(MqttSubscribeMessage m, List<CompletableFuture<AclDecision>> checks) {
        if (!c.ownsSession()) {
            return;
        }
        List<MqttTopicSubscription> wanted = m.payload().topicSubscriptions();
        if (wanted.isEmpty()) {
            c.errors.violation("SUBSCRIBE without topic filters", ReasonCodes.PROTOCOL_ERROR);
            return;
        }
        int subscriptionId = c.v5 ? Mqtt5Properties.intProperty(m.idAndPropertiesVariableHeader().properties(),
                MqttPropertyType.SUBSCRIPTION_IDENTIFIER, 0) : 0;
        List<Integer> codes = new ArrayList<>(wanted.size());
        List<Runnable> retainedDeliveries = new ArrayList<>();
        Store store = c.services.store();
        Written written;
        store.beginUnit();                   // the session's subscriptions, written once for the whole packet
        try {
            for (int i = 0; i < wanted.size(); i++) {
                int code = subscribe(wanted.get(i), AclDecision.of(checks.get(i)), subscriptionId,
                        retainedDeliveries);
                if (code == VIOLATION) {
                    return;
                }
                codes.add(code);
            }
        } finally {
            written = store.endUnit();
        }
        // a subscription the client saw acknowledged survives a crash: the SUBACK waits for the disk, and the
        // retained messages it brings follow the SUBACK
        c.acks.send(new MqttSubAckMessage(new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE,
                false, 0), new MqttMessageIdAndPropertiesVariableHeader(m.variableHeader().messageId(),
                MqttProperties.NO_PROPERTIES), new MqttSubAckPayload(codes)), written,
                retainedDeliveries.isEmpty() ? null : () -> deliverAll(retainedDeliveries));
    }

    private void deliverAll(List<Runnable> retainedDeliveries) {
        if (c.ownsSession()) {
            retainedDeliveries.forEach(Runnable::run);
        }
    }

    /** @return the SUBACK code for one filter, or {@link #VIOLATION} after closing the connection */
    private int subscribe(MqttTopicSubscription ts, AclDecision decision, int subscriptionId,
                          List<Runnable> retainedDeliveries) {
        String raw = ts.topicName();
        var opt = ts.option();
        int qos = opt.qos().value();
        TopicFilter parsed;
        try {
            parsed = TopicFilter.parse(raw);
        } catch (IllegalArgumentException e) {
            return refused(ReasonCodes.TOPIC_FILTER_INVALID);
        }
        if (!Topics.isValidFilter(parsed.filter(), c.services.settings().mqtt().maxTopicLevels())) {
            return refused(ReasonCodes.TOPIC_FILTER_INVALID);
        }
        TopicFilter filter = c.mountpoint.mount(parsed);
        if (c.v5 && filter.shared() && opt.isNoLocal()) {
            c.errors.violation("no local on a shared subscription", ReasonCodes.PROTOCOL_ERROR);
            return VIOLATION;
        }
        if (!decision.allowed()) {
            log.debug("client {} (user {}) may not subscribe to {}", c.clientId, c.username, raw);
            return refused(ReasonCodes.NOT_AUTHORIZED);
        }
        int maxSubscriptions = c.services.settings().session().maxSubscriptions();
        if (maxSubscriptions > 0 && !c.session.hasSubscription(filter)
                && c.session.subscriptionCount() >= maxSubscriptions) {
            return refused(ReasonCodes.QUOTA_EXCEEDED);
        }
        SubOptions options = new SubOptions(qos, c.v5 && opt.isNoLocal(), c.v5 && opt.isRetainAsPublished(),
                c.v5 ? opt.retainHandling().value() : 0, subscriptionId);
        SubOptions previous;
        try {
            previous = c.session.subscribe(filter, options);
        } catch (QuotaExceededException e) {
            c.logRefusal("subscription to " + raw + " refused: " + e.getMessage());
            return refused(ReasonCodes.QUOTA_EXCEEDED);
        }
        BrokerEvents events = c.services.events();
        if (events.active()) {
            events.subscribed(c.info, raw, qos);
        }
        int retainHandling = options.retainHandling();
        if (!filter.shared() && (retainHandling == 0 || retainHandling == 1 && previous == null)) {
            retainedDeliveries.add(() -> deliverRetained(filter.filter(), options));
        }
        return qos;
    }

    /** A refused filter's SUBACK code: the 5.0 reason, or 0x80 for 3.x. */
    private int refused(byte reason5) {
        return c.v5 ? reason5 & 0xFF : 0x80;
    }

    private void deliverRetained(String filter, SubOptions options) {
        int[] ids = options.subscriptionId() == 0 ? null : new int[]{options.subscriptionId()};
        boolean upgradeQos = c.services.settings().session().upgradeQos();
        c.services.retainer().match(filter, m -> {
            int qos = upgradeQos ? options.qos() : Math.min(options.qos(), m.qos());
            c.session.submit(new Delivery(m, qos, true, ids));
        });
    }

    void onUnsubscribe(MqttUnsubscribeMessage m) {
        if (!c.ownsSession()) {
            return;
        }
        List<String> topics = m.payload().topics();
        if (topics.isEmpty()) {
            c.errors.violation("UNSUBSCRIBE without topic filters", ReasonCodes.PROTOCOL_ERROR);
            return;
        }
        short[] codes = new short[topics.size()];
        Store store = c.services.store();
        Written written;
        store.beginUnit();
        try {
            unsubscribe(topics, codes);
        } finally {
            written = store.endUnit();
        }
        c.acks.send(new MqttUnsubAckMessage(new MqttFixedHeader(MqttMessageType.UNSUBACK, false,
                MqttQoS.AT_MOST_ONCE, false, 0), new MqttMessageIdAndPropertiesVariableHeader(
                m.variableHeader().messageId(), MqttProperties.NO_PROPERTIES),
                c.v5 ? new MqttUnsubAckPayload(codes) : null), written, null);
    }

    private void unsubscribe(List<String> topics, short[] codes) {
        BrokerEvents events = c.services.events();
        for (int i = 0; i < codes.length; i++) {
            boolean existed;
            try {
                existed = c.session.unsubscribe(c.mountpoint.mount(TopicFilter.parse(topics.get(i))));
            } catch (IllegalArgumentException e) {
                existed = false;
            }
            codes[i] = existed ? ReasonCodes.SUCCESS : ReasonCodes.NO_SUBSCRIPTION_EXISTED;
            if (existed && events.active()) {
                events.unsubscribed(c.info, topics.get(i));
            }
        }
    }
}
