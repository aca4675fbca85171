package io.jemq.store.memory;

import io.jemq.message.Message;
import io.jemq.routing.SubOptions;
import io.jemq.routing.TopicFilter;
import io.jemq.store.InflightWindow;
import io.jemq.store.MessageQueue;
import io.jemq.store.Qos2Receipts;
import io.jemq.store.StoredSession;
import io.jemq.store.Written;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One session's state in plain collections, owned by the session's loop. */
final class MemorySession implements StoredSession {
    private final String clientId;
    private final long createdAtMillis;
    /** Made at the first SUBSCRIBE (with its read-only view): many clients only publish. */
    private Map<TopicFilter, SubOptions> subscriptions;
    private Map<TopicFilter, SubOptions> subscriptionsView = Map.of();
    private final MemoryQueue queue = new MemoryQueue();
    private final MemoryInflight inflight = new MemoryInflight();
    private final MemoryQos2Receipts qos2 = new MemoryQos2Receipts();
    private long expirySeconds;
    private Message will;
    private long willDelaySeconds;

    MemorySession(String clientId, long createdAtMillis) {
        this.clientId = clientId;
        this.createdAtMillis = createdAtMillis;
    }

    @Override
    public String clientId() {
        return clientId;
    }

    @Override
    public long createdAtMillis() {
        return createdAtMillis;
    }

    @Override
    public Map<TopicFilter, SubOptions> subscriptions() {
        return subscriptionsView;
    }

    @Override
    public SubOptions subscribe(TopicFilter filter, SubOptions options) {
        if (subscriptions == null) {
            subscriptions = new LinkedHashMap<>();
            subscriptionsView = Collections.unmodifiableMap(subscriptions);
        }
        return subscriptions.put(filter, options);
    }

    @Override
    public boolean unsubscribe(TopicFilter filter) {
        return subscriptions != null && subscriptions.remove(filter) != null;
    }

    @Override
    public long expirySeconds() {
        return expirySeconds;
    }

    @Override
    public Written expirySeconds(long seconds) {
        this.expirySeconds = seconds;
        return Written.DONE;
    }

    @Override
    public Message will() {
        return will;
    }

    @Override
    public long willDelaySeconds() {
        return willDelaySeconds;
    }

    @Override
    public Written will(Message newWill, long delaySeconds) {
        Message previous = will;
        will = newWill == null ? null : newWill.retain();
        willDelaySeconds = newWill == null ? 0 : delaySeconds;
        if (previous != null) {
            previous.release();
        }
        return Written.DONE;
    }

    @Override
    public MessageQueue queue() {
        return queue;
    }

    @Override
    public InflightWindow inflight() {
        return inflight;
    }

    @Override
    public Qos2Receipts qos2() {
        return qos2;
    }

    @Override
    public Written delete() {
        if (subscriptions != null) {
            subscriptions.clear();
        }
        queue.clear();
        inflight.clear();
        qos2.clear();
        will(null, 0);
        return Written.DONE;
    }
}
