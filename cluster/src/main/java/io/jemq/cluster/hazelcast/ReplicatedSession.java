package io.jemq.cluster.hazelcast;

import io.jemq.message.Delivery;
import io.jemq.message.Message;
import io.jemq.routing.SubOptions;
import io.jemq.routing.TopicFilter;
import io.jemq.store.InflightEntry;
import io.jemq.store.InflightWindow;
import io.jemq.store.MessageQueue;
import io.jemq.store.Qos2Receipts;
import io.jemq.store.StoredSession;
import io.jemq.store.Written;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A session's store as seen by a clustered node that mirrors durable sessions: every call goes to the node's own
 * store, and while the session is durable (expiry above 0) its image goes to the replica when it changes (connect,
 * subscribe, unsubscribe, a new expiry) and each QoS 1/2 message it takes is added there (the publisher's
 * acknowledgement waits for it, {@link PublishAcceptance}), removed when the client acknowledges it (PUBACK, PUBREC)
 * or the session drops it. What the replica holds is what {@link SessionReplicas#resume} gives a node that takes the
 * session over when this one is down.
 *
 * <p>Threads: as {@link StoredSession}: the session's owner loop, and {@link #accept} on publishers' threads.
 */
final class ReplicatedSession implements StoredSession {
    private final StoredSession inner;
    private final SessionReplicas replicas;
    private final long epoch;
    private final AtomicLong seq = new AtomicLong();
    private final MessageQueue queue;
    private final InflightWindow inflight;
    private volatile boolean durable;
    /** Owner loop: whether an image was written (so the session's end deletes it). */
    private boolean imaged;

    ReplicatedSession(StoredSession inner, SessionReplicas replicas, long epoch, long expirySeconds) {
        this.inner = inner;
        this.replicas = replicas;
        this.epoch = epoch;
        this.durable = expirySeconds > 0;
        this.queue = new Queue(inner.queue());
        this.inflight = new Inflight(inner.inflight());
    }

    long epoch() {
        return epoch;
    }

    /**
     * A session recovered from this node's store, before anyone else touches it: its image and every message it
     * holds go to the replica (in flight first, then queued, as a take-over would deliver them).
     */
    void mirrorAll() {
        if (!durable) {
            return;
        }
        image();
        for (InflightEntry e : inner.inflight().inSendOrder()) {
            if (e.delivery() != null) {
                mirror(e.delivery(), null);
            }
        }
        MessageQueue q = inner.queue();
        for (int i = q.size(); i > 0; i--) {
            Delivery d = q.poll();
            mirror(d, null);
            q.add(d);
        }
    }

    private void image() {
        imaged = true;
        replicas.writeImage(clientId(), epoch, inner.expirySeconds(), inner.subscriptions());
    }

    /** Adds a message the session takes to the replica; {@code waiting} (may be null) is the publish's. */
    private void mirror(Delivery d, PublishAcceptance waiting) {
        long k = seq.incrementAndGet();
        d.replicaKey(k);
        replicas.put(new ReplicaKey(clientId(), epoch, k), d, waiting);
    }

    private void unmirror(Delivery d) {
        if (d != null && d.replicaKey() != 0) {
            replicas.remove(new ReplicaKey(clientId(), epoch, d.replicaKey()));
            d.replicaKey(0);
        }
    }

    /** A QoS 1/2 message the session holds without having taken it through {@link #accept} (retained, adopted). */
    private void mirrorIfNew(Delivery d) {
        if (durable && d.qos() > 0 && d.replicaKey() == 0) {
            mirror(d, null);
        }
    }

    @Override
    public void accept(Delivery d) {
        inner.accept(d);
        if (durable && d.qos() > 0) {
            mirror(d, PublishAcceptance.current());
        }
    }

    @Override
    public void finished(Delivery d) {
        inner.finished(d);
        unmirror(d);
    }

    @Override
    public SubOptions subscribe(TopicFilter filter, SubOptions options) {
        SubOptions previous = inner.subscribe(filter, options);
        if (durable) {
            image();
        }
        return previous;
    }

    @Override
    public boolean unsubscribe(TopicFilter filter) {
        boolean had = inner.unsubscribe(filter);
        if (had && durable) {
            image();
        }
        return had;
    }

    @Override
    public Written expirySeconds(long seconds) {
        Written w = inner.expirySeconds(seconds);
        durable = seconds > 0;
        if (durable) {
            image();
        } else if (imaged) {
            imaged = false;
            replicas.forget(clientId(), epoch);
        }
        return w;
    }

    @Override
    public Written delete() {
        Written w = inner.delete();
        if (imaged || seq.get() > 0) {
            replicas.forget(clientId(), epoch);
        }
        return w;
    }

    /** The broker stops: the replica keeps the session for a node that takes it over meanwhile. */
    @Override
    public Written unload() {
        return inner.unload();
    }

    @Override
    public String clientId() {
        return inner.clientId();
    }

    @Override
    public long createdAtMillis() {
        return inner.createdAtMillis();
    }

    @Override
    public Map<TopicFilter, SubOptions> subscriptions() {
        return inner.subscriptions();
    }

    @Override
    public long expirySeconds() {
        return inner.expirySeconds();
    }

    @Override
    public Message will() {
        return inner.will();
    }

    @Override
    public long willDelaySeconds() {
        return inner.willDelaySeconds();
    }

    @Override
    public Written will(Message will, long delaySeconds) {
        return inner.will(will, delaySeconds);
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
        return inner.qos2();
    }

    @Override
    public void offlineSince(long millis) {
        inner.offlineSince(millis);
    }

    @Override
    public long offlineSinceMillis() {
        return inner.offlineSinceMillis();
    }

    /** The session's queue: a message queued without a replica copy yet gets one. */
    private final class Queue implements MessageQueue {
        private final MessageQueue q;

        Queue(MessageQueue q) {
            this.q = q;
        }

        @Override
        public Written add(Delivery d) {
            mirrorIfNew(d);
            return q.add(d);
        }

        @Override
        public Delivery peek() {
            return q.peek();
        }

        @Override
        public Delivery poll() {
            return q.poll();
        }

        @Override
        public int size() {
            return q.size();
        }

        @Override
        public Written clear() {
            return q.clear();
        }
    }

    /** The session's inflight window: what the client acknowledges leaves the replica. */
    private final class Inflight implements InflightWindow {
        private final InflightWindow w;

        Inflight(InflightWindow w) {
            this.w = w;
        }

        @Override
        public InflightEntry add(Delivery d, long nowNanos) {
            mirrorIfNew(d);
            return w.add(d, nowNanos);
        }

        @Override
        public InflightEntry get(int packetId) {
            return w.get(packetId);
        }

        @Override
        public InflightEntry remove(int packetId) {
            InflightEntry e = w.remove(packetId);
            if (e != null) {
                unmirror(e.delivery());
            }
            return e;
        }

        @Override
        public Delivery released(InflightEntry e, long nowNanos) {
            Delivery d = w.released(e, nowNanos);
            unmirror(d);
            return d;
        }

        @Override
        public int size() {
            return w.size();
        }

        @Override
        public List<InflightEntry> inSendOrder() {
            return w.inSendOrder();
        }

        @Override
        public Written durable() {
            return w.durable();
        }

        @Override
        public void clear() {
            w.clear();
        }
    }
}
