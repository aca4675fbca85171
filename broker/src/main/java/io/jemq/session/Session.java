package io.jemq.session;

import io.jemq.config.QueueSettings;
import io.jemq.config.SessionSettings;
import io.jemq.limits.MemoryBudgets;
import io.jemq.limits.QuotaExceededException;
import io.jemq.message.Message;
import io.jemq.routing.Router;
import io.jemq.routing.SubOptions;
import io.jemq.routing.Subscriber;
import io.jemq.routing.TopicFilter;
import io.jemq.routing.Topics;
import io.jemq.sys.Counter;
import io.jemq.sys.Counters;
import io.netty.channel.EventLoop;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.internal.PlatformDependent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * A client's session: its subscriptions, the outbound inflight window, the queue of messages waiting for it, and
 * inbound QoS 2 packet ids awaiting PUBREL. It outlives its connection when the client asked for a persistent
 * session, until it expires.
 *
 * <p>Threads: all state is owned by one event loop, {@link #loop()}: the loop of the connection it belongs to (or
 * last belonged to). Other threads only call {@link #submit(Delivery)}, which goes through a lock-free inbox
 * drained on the owner loop, once per batch. When a client reconnects on another loop the session moves there at
 * a single hand-over point; inbox drains that find themselves on the wrong loop re-dispatch.
 */
public final class Session implements Subscriber {
    private static final Logger log = LoggerFactory.getLogger(Session.class);
    private static final AtomicIntegerFieldUpdater<Session> DRAIN_SCHEDULED =
            AtomicIntegerFieldUpdater.newUpdater(Session.class, "drainScheduled");
    /** Deliveries handled per drain before yielding the loop to other work. */
    private static final int DRAIN_BATCH = 4096;
    private static final int INBOX_CHUNK = 64;
    /** A session whose messages are dropped says so at most once a minute, however many it drops. */
    private static final long DROP_LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final String clientId;
    private final SessionSettings settings;
    private final QueueSettings queueSettings;
    private final Router router;
    private final SessionRegistry registry;
    private final Counters counters;
    private final long createdAtMillis = System.currentTimeMillis();

    private volatile EventLoop loop;
    /** Small chunks: an idle session must stay cheap (the default chunk is 1024 slots, 4 KiB per session). */
    private final Queue<Delivery> inbox = PlatformDependent.newMpscQueue(INBOX_CHUNK, 1 << 30);
    private volatile int drainScheduled;
    private final Runnable drainTask = this::drain;

    private Outlet outlet;                       // the connection, null while offline
    private final Map<TopicFilter, SubOptions> subscriptions = new LinkedHashMap<>();
    private final Inflight inflight = new Inflight();
    private final ArrayDeque<Delivery> queue = new ArrayDeque<>();
    private final IntObjectHashMap<Long> awaitingRel = new IntObjectHashMap<>();
    private long expirySeconds;
    private ScheduledFuture<?> expiryTimer;
    private ScheduledFuture<?> retryTimer;
    private volatile boolean ended;
    /** Connections attached so far: a connection that left tells from it whether a newer one resumed the session. */
    private volatile int attachments;
    private volatile boolean congested;
    private volatile boolean online;
    private volatile int queueLength;
    /**
     * When the queue last moved: a message left it for the socket, or it started filling. A connected subscriber
     * whose queue holds messages and has not moved for stall_timeout is stalled (see {@link #isStalled}).
     */
    private volatile long queueMovedNanos;
    private final Queue<Runnable> pausedPublishers = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private long queueDropped;
    private long removalsSeen;                   // Router.removals() after this session's last UNSUBSCRIBE
    private long queueBytes;                     // what the queued messages cost, as the budgets count it
    private final MemoryBudgets budgets;
    private long dropLoggedAtNanos;
    private long droppedWhenLogged;
    private long delivered;

    Session(String clientId, EventLoop loop, SessionSettings settings, QueueSettings queueSettings, Router router,
            SessionRegistry registry, Counters counters, MemoryBudgets budgets) {
        this.clientId = clientId;
        this.budgets = budgets;
        this.loop = loop;
        this.settings = settings;
        this.queueSettings = queueSettings;
        this.router = router;
        this.registry = registry;
        this.counters = counters;
    }

    /**
     * What a session needs of its connection: write packets, know whether the socket keeps up. Implemented by the
     * protocol layer's Connection; called on the owner loop only.
     */
    public interface Outlet {
        /** Writes a PUBLISH; false when it could not be sent to this client at all (too large for it). */
        boolean sendPublish(Delivery d, int packetId, boolean dup);

        void sendPubrel(int packetId);

        boolean isWritable();

        /** Clients may cap the inflight window below ours (5.0 Receive Maximum). */
        int receiveMaximum();

        /** 5.0 forbids resending during a connection; 3.x clients get EMQ's retry_interval redelivery. */
        boolean retriesInflight();

        void flush();

        /** Closes the connection because another connection took the session over. */
        void kick();
    }

    @Override
    public String clientId() {
        return clientId;
    }

    public EventLoop loop() {
        return loop;
    }

    public long createdAtMillis() {
        return createdAtMillis;
    }

    // ---------------------------------------------------------------- any thread

    /** Hands a delivery to this session from any thread; ownership of its message reference passes to the session. */
    public void submit(Delivery d) {
        inbox.offer(d);
        if (DRAIN_SCHEDULED.compareAndSet(this, 0, 1)) {
            loop.execute(drainTask);
        }
    }

    private void drain() {
        EventLoop owner = loop;
        if (!owner.inEventLoop()) {
            owner.execute(drainTask);   // the session moved loops since this drain was scheduled
            return;
        }
        drainScheduled = 0;             // before polling: a submit after our last poll schedules anew
        Delivery d;
        int n = 0;
        while (n < DRAIN_BATCH && (d = inbox.poll()) != null) {
            accept(d);
            n++;
        }
        if (n == DRAIN_BATCH && !inbox.isEmpty() && DRAIN_SCHEDULED.compareAndSet(this, 0, 1)) {
            owner.execute(drainTask);
        }
        updateCongestion();
        if (outlet != null) {
            outlet.flush();
        }
    }

    // ---------------------------------------------------------------- owner loop

    private void accept(Delivery d) {
        if (ended) {
            d.release();
            return;
        }
        if (d.message.isExpired(System.currentTimeMillis())) {
            counters.bump(Counter.MESSAGES_DROPPED);
            d.release();
            return;
        }
        if (isStale(d)) {
            d.release();                            // routed to a subscription removed since: never counted as sent
            return;
        }
        if (outlet != null && queue.isEmpty() && canSendNow(d)) {
            send(d);
        } else {
            enqueue(d);
            updateCongestion();
        }
    }

    private boolean canSendNow(Delivery d) {
        return d.qos == 0 ? outlet.isWritable() : inflight.size() < window();
    }

    private int window() {
        return Math.min(settings.maxInflight(), outlet.receiveMaximum());
    }

    private void send(Delivery d) {
        if (d.qos == 0) {
            if (outlet.sendPublish(d, 0, false)) {
                delivered++;
            }
            d.release();
            return;
        }
        Inflight.Entry e = inflight.add(d, System.nanoTime());
        if (!outlet.sendPublish(d, e.packetId, false)) {
            inflight.remove(e.packetId);
            d.release();
            return;
        }
        delivered++;
        armRetry();
    }

    private void enqueue(Delivery d) {
        if (d.qos == 0 && !queueSettings.storeQos0() && outlet == null) {
            counters.bump(Counter.MESSAGES_DROPPED);
            d.release();
            return;
        }
        long cost = MemoryBudgets.messageCost(d.message.payloadSize(), d.message.topic());
        long maxBytes = queueSettings.maxBytes();
        if (maxBytes > 0 && cost > maxBytes) {
            dropNew(d, "a message larger than mqtt.mqueue.max_bytes");
            return;
        }
        if (queue.isEmpty()) {
            queueMovedNanos = System.nanoTime();   // the stall clock starts with the first message waiting
        }
        while (!queue.isEmpty() && (queueSettings.maxLength() > 0 && queue.size() >= queueSettings.maxLength()
                || maxBytes > 0 && queueBytes + cost > maxBytes)) {
            pollQueued().release();
            queueDropped++;
            counters.bump(Counter.MESSAGES_DROPPED);
            counters.bump(Counter.MESSAGES_DROPPED_QUEUE_FULL);
            logDropped("its queue is full (mqtt.mqueue.max_length, max_bytes): dropping the oldest");
        }
        if (!budgets.queues().tryReserve(cost)) {
            dropNew(d, "the memory budget for queued messages (mqtt.budget.queues) is spent");
            return;
        }
        queueBytes += cost;
        // the decoder's slice would keep its whole read buffer alive for as long as the message waits
        Message kept = d.message.forQueue();
        queue.add(new Delivery(kept, d.qos, d.retainFlag, d.subscriptionIds));
        d.release();
    }

    private void dropNew(Delivery d, String why) {
        d.release();
        queueDropped++;
        counters.bump(Counter.MESSAGES_DROPPED);
        counters.bump(Counter.MESSAGES_DROPPED_QUEUE_FULL);
        logDropped(why);
    }

    /** Takes the oldest queued delivery out, returning its bytes to the budgets. */
    private Delivery pollQueued() {
        Delivery d = queue.poll();
        if (d != null) {
            long cost = MemoryBudgets.messageCost(d.message.payloadSize(), d.message.topic());
            queueBytes -= cost;
            budgets.queues().release(cost);
        }
        return d;
    }

    /** At most one line per client per minute, however many messages are dropped. */
    private void logDropped(String why) {
        long now = System.nanoTime();
        if (droppedWhenLogged > 0 && now - dropLoggedAtNanos < DROP_LOG_INTERVAL_NANOS) {
            return;
        }
        log.warn("dropped messages for {} ({} queued, {} bytes): {}; {} dropped since the last line, {} in all{}",
                clientId, queue.size(), queueBytes, why, queueDropped - droppedWhenLogged, queueDropped,
                isStalled() ? "; it has taken nothing from its queue for " + idleMillis(now) + " ms" : "");
        dropLoggedAtNanos = now;
        droppedWhenLogged = queueDropped;
    }

    private long idleMillis(long now) {
        return TimeUnit.NANOSECONDS.toMillis(now - queueMovedNanos);
    }

    /** Moves queued deliveries into the window and onto the socket while both have room. */
    public void drainQueue() {
        assert loop.inEventLoop();
        boolean moved = false;
        while (outlet != null && !queue.isEmpty()) {
            Delivery d = queue.peek();
            if (d.message.isExpired(System.currentTimeMillis())) {
                pollQueued();
                counters.bump(Counter.MESSAGES_DROPPED);
                d.release();
                continue;
            }
            if (!canSendNow(d)) {
                break;
            }
            pollQueued();
            send(d);
            moved = true;
        }
        if (moved) {
            queueMovedNanos = System.nanoTime();
        }
        updateCongestion();
    }

    // ---------------------------------------------------------------- flow control

    /**
     * True while this connected session's backlog is above the high watermark and its queue still moves: publishers
     * that route to it pause reading until it drains (each pause at most max_pause). A stalled session's queue holds
     * nobody back: a subscriber that stopped reading must cost only itself. Its inbox still does: messages routed to
     * it faster than its event loop can even queue (or drop) them are the broker's own backlog, which pausing does
     * drain, and which nothing else would bound. Read from any thread.
     */
    public boolean isCongested() {
        if (!online) {
            return congested;
        }
        // the inbox counts too: a burst sits there until the next drain, and must already hold publishers back
        int inboxed = inbox.size();
        if (inboxed >= queueSettings.highMark()) {
            return true;
        }
        return (congested || queueLength + inboxed >= queueSettings.highMark()) && !isStalled();
    }

    /**
     * True while this connected session has messages queued and has sent none of them to its socket for
     * {@code mqtt.mqueue.stall_timeout}:
     * its client neither acknowledges (QoS 1, 2) nor reads (the socket stays unwritable). Pausing its publishers
     * would not make it drain; its queue drops the oldest instead, and send_timeout may close it. Any thread.
     */
    public boolean isStalled() {
        return online && queueLength > 0
                && System.nanoTime() - queueMovedNanos > queueSettings.stallTimeout().toNanos();
    }

    /**
     * A publisher paused because of this session asks to be resumed once it drains. {@code resume} runs on this
     * session's loop (it must hop to the publisher's own loop itself), at once if the congestion already cleared.
     */
    public void whenDrained(Runnable resume) {
        pausedPublishers.add(resume);
        if (!isCongested()) {
            resumePublishers();    // cleared between the publisher's check and its registration
        }
    }

    /** A publisher that asked {@link #whenDrained} closed: its callback is dropped. Any thread. */
    public void forgetPaused(Runnable resume) {
        pausedPublishers.remove(resume);
    }

    /** Publishers waiting for this session to drain; for tests and the session listing. */
    public int pausedPublisherCount() {
        return pausedPublishers.size();
    }

    /** The queued deliveries, oldest first; owner loop only. */
    Queue<Delivery> queued() {
        assert loop.inEventLoop();
        return queue;
    }

    private void updateCongestion() {
        queueLength = queue.size();
        online = outlet != null;
        int backlog = queueLength + inbox.size();
        if (!congested) {
            if (online && backlog >= queueSettings.highMark()) {
                congested = true;
            } else if (!pausedPublishers.isEmpty()) {
                resumePublishers(); // paused on an inbox burst that has drained without filling the queue
            }
        } else if (!online || backlog <= queueSettings.lowMark()) {
            congested = false;     // before resuming: a publisher registering now sees it clear
            resumePublishers();
        } else if (!pausedPublishers.isEmpty() && inbox.size() <= queueSettings.lowMark() && isStalled()) {
            resumePublishers();    // paused on an inbox burst, now handled: the stalled queue holds nobody back
        }
    }

    private void resumePublishers() {
        Runnable r;
        while ((r = pausedPublishers.poll()) != null) {
            r.run();
        }
    }

    /** A PUBACK arrived. @return false when no QoS 1 delivery had that id. */
    public boolean onPuback(int packetId) {
        assert loop.inEventLoop();
        Inflight.Entry e = inflight.get(packetId);
        if (e == null || e.stage != Inflight.Stage.AWAITING_PUBACK) {
            return false;
        }
        inflight.remove(packetId);
        e.delivery.release();
        drainQueue();
        return true;
    }

    /** A PUBREC arrived: the payload is no longer needed, PUBREL goes out. @return false for an unknown id. */
    public boolean onPubrec(int packetId) {
        assert loop.inEventLoop();
        Inflight.Entry e = inflight.get(packetId);
        if (e == null || e.stage == Inflight.Stage.AWAITING_PUBACK) {
            return false;
        }
        if (e.delivery != null) {
            e.delivery.release();
            e.delivery = null;
        }
        e.stage = Inflight.Stage.AWAITING_PUBCOMP;
        e.sentAtNanos = System.nanoTime();
        outlet.sendPubrel(packetId);
        return true;
    }

    /** A 5.0 PUBREC with an error reason ends that delivery. */
    public void onPubrecFailed(int packetId) {
        Inflight.Entry e = inflight.remove(packetId);
        if (e != null && e.delivery != null) {
            e.delivery.release();
        }
        drainQueue();
    }

    /** A PUBCOMP arrived. @return false when no delivery awaited it. */
    public boolean onPubcomp(int packetId) {
        assert loop.inEventLoop();
        Inflight.Entry e = inflight.get(packetId);
        if (e == null || e.stage != Inflight.Stage.AWAITING_PUBCOMP) {
            return false;
        }
        inflight.remove(packetId);
        drainQueue();
        return true;
    }

    /**
     * An inbound QoS 2 PUBLISH. @return true when it is new (route it), false when it is a resend of a packet id
     * still awaiting PUBREL (answer PUBREC again, don't route twice).
     */
    public boolean receiveQos2(int packetId) {
        assert loop.inEventLoop();
        if (awaitingRel.containsKey(packetId)) {
            return false;
        }
        awaitingRel.put(packetId, Long.valueOf(System.nanoTime()));
        armRetry();
        return true;
    }

    public int awaitingRelCount() {
        return awaitingRel.size();
    }

    /** A PUBREL arrived. @return false when the id was not awaiting release (the 5.0 PUBCOMP says 0x92). */
    public boolean release(int packetId) {
        assert loop.inEventLoop();
        return awaitingRel.remove(packetId) != null;
    }

    // ---------------------------------------------------------------- subscriptions

    /** @return the previous options for that filter, or null when the subscription is new. */
    public SubOptions subscribe(TopicFilter filter, SubOptions options) {
        assert loop.inEventLoop();
        if (!subscriptions.containsKey(filter)
                && !budgets.subscriptions().tryReserve(MemoryBudgets.subscriptionCost(filter.filter()))) {
            throw new QuotaExceededException(
                    "the memory budget for subscriptions (mqtt.budget.subscriptions) is spent");
        }
        SubOptions previous = subscriptions.put(filter, options);
        router.subscribe(this, filter, options);
        return previous;
    }

    public boolean unsubscribe(TopicFilter filter) {
        assert loop.inEventLoop();
        if (subscriptions.remove(filter) == null) {
            return false;
        }
        router.unsubscribe(this, filter);
        removalsSeen = router.removals();           // deliveries routed before this are checked again (isStale)
        budgets.subscriptions().release(MemoryBudgets.subscriptionCost(filter.filter()));
        return true;
    }

    /**
     * Whether a delivery was routed before one of this session's subscriptions went away and no longer matches any.
     * A publisher on another loop can route to this session while this loop is still handling an UNSUBSCRIBE (its
     * first handling takes milliseconds in a fresh JVM), or be preempted between matching and submitting: such a
     * delivery must not go out after the UNSUBACK. Only deliveries routed before the last removal are looked at.
     */
    private boolean isStale(Delivery d) {
        if (d.routedAt >= removalsSeen) {
            return false;
        }
        String topic = d.message.topic();
        for (TopicFilter f : subscriptions.keySet()) {
            if (Topics.matches(f.filter(), topic)) {
                return false;
            }
        }
        return true;
    }

    public int subscriptionCount() {
        return subscriptions.size();
    }

    public boolean hasSubscription(TopicFilter filter) {
        return subscriptions.containsKey(filter);
    }

    // ---------------------------------------------------------------- life cycle (owner loop)

    /**
     * The session's connection is up (new or resumed): resend what was in flight, with DUP, and PUBREL for what was
     * already received, then move queued messages into the window.
     */
    void attach(Outlet newOutlet, long newExpirySeconds) {
        assert loop.inEventLoop();
        this.outlet = newOutlet;
        this.online = true;
        this.queueMovedNanos = System.nanoTime();   // a new connection has its own chance to drain what waited
        this.attachments++;                  // one writer: the owner loop
        this.expirySeconds = newExpirySeconds;
        if (expiryTimer != null) {
            expiryTimer.cancel(false);
            expiryTimer = null;
        }
    }

    /** Called right after CONNACK went out. */
    public void resume() {
        assert loop.inEventLoop();
        long now = System.nanoTime();
        for (Inflight.Entry e : inflight.inSendOrder()) {
            e.sentAtNanos = now;
            if (e.stage == Inflight.Stage.AWAITING_PUBCOMP) {
                outlet.sendPubrel(e.packetId);
            } else if (!outlet.sendPublish(e.delivery, e.packetId, true)) {
                inflight.remove(e.packetId);
                e.delivery.release();
            } else {
                counters.bump(Counter.MESSAGES_RETRANSMITTED);
            }
        }
        armRetry();
        drainQueue();
        outlet.flush();
    }

    /** The client may change the expiry in its 5.0 DISCONNECT. */
    public void setExpirySeconds(long seconds) {
        this.expirySeconds = seconds;
    }

    public long expirySeconds() {
        return expirySeconds;
    }

    /** The connection closed. The session ends now (expiry 0) or later, unless a client resumes it first. */
    public void detach(Outlet from) {
        assert loop.inEventLoop();
        if (outlet != from) {
            return;                          // already taken over by a newer connection
        }
        outlet = null;
        cancelRetry();
        updateCongestion();
        if (ended) {
            return;
        }
        if (expirySeconds == 0) {
            end("clean session closed");
        } else if (expirySeconds < 0xFFFFFFFFL) {
            expiryTimer = loop.schedule(() -> {
                if (outlet == null && !ended) {
                    end("expired after " + expirySeconds + "s offline");
                }
            }, expirySeconds, TimeUnit.SECONDS);
        }
    }

    /** Moves ownership to the loop of the connection taking the session over; called on the current owner loop. */
    void handOver(Outlet taker, EventLoop newLoop) {
        assert loop.inEventLoop();
        Outlet previous = outlet;
        outlet = null;
        cancelRetry();
        if (expiryTimer != null) {
            expiryTimer.cancel(false);
            expiryTimer = null;
        }
        if (previous != null && previous != taker) {
            previous.kick();
        }
        loop = newLoop;
    }

    /** Ends the session: unsubscribes everything and releases every message it held. Owner loop. */
    void end(String why) {
        assert loop.inEventLoop();
        if (ended) {
            return;
        }
        ended = true;
        if (outlet != null) {
            outlet.kick();
            outlet = null;
        }
        cancelRetry();
        if (expiryTimer != null) {
            expiryTimer.cancel(false);
        }
        for (TopicFilter f : subscriptions.keySet()) {
            router.unsubscribe(this, f);
            budgets.subscriptions().release(MemoryBudgets.subscriptionCost(f.filter()));
        }
        subscriptions.clear();
        inflight.clear();
        Delivery d;
        while ((d = pollQueued()) != null) {
            d.release();
        }
        while ((d = inbox.poll()) != null) {
            d.release();
        }
        awaitingRel.clear();
        congested = false;
        resumePublishers();
        registry.removeEnded(this);
        log.debug("session {} ended: {}", clientId, why);
    }

    boolean isEnded() {
        return ended;
    }

    /** Whether a connection is attached; read from any thread. */
    public boolean isOnline() {
        return online;
    }

    /** How many connections have attached to this session so far; read from any thread. */
    public int attachments() {
        return attachments;
    }

    // ---------------------------------------------------------------- retry and await_rel timeout

    private void armRetry() {
        if (retryTimer != null || outlet == null || (inflight.isEmpty() && awaitingRel.isEmpty())) {
            return;
        }
        long interval = settings.retryInterval().toNanos();
        if (interval <= 0) {
            return;
        }
        retryTimer = loop.schedule(this::onRetryTimer, interval, TimeUnit.NANOSECONDS);
    }

    private void cancelRetry() {
        if (retryTimer != null) {
            retryTimer.cancel(false);
            retryTimer = null;
        }
    }

    private void onRetryTimer() {
        retryTimer = null;
        if (outlet == null) {
            return;
        }
        long now = System.nanoTime();
        if (outlet.retriesInflight()) {
            long interval = settings.retryInterval().toNanos();
            for (Inflight.Entry e : inflight.inSendOrder()) {
                if (now - e.sentAtNanos < interval) {
                    continue;
                }
                e.sentAtNanos = now;
                if (e.stage == Inflight.Stage.AWAITING_PUBCOMP) {
                    outlet.sendPubrel(e.packetId);
                } else {
                    outlet.sendPublish(e.delivery, e.packetId, true);
                }
                counters.bump(Counter.MESSAGES_RETRANSMITTED);
            }
        }
        long relTimeout = settings.awaitRelTimeout().toNanos();
        if (relTimeout > 0 && !awaitingRel.isEmpty()) {
            awaitingRel.values().removeIf(receivedAt -> now - receivedAt >= relTimeout);
        }
        outlet.flush();
        armRetry();
    }

    // ---------------------------------------------------------------- introspection (owner loop)

    public int inflightCount() {
        return inflight.size();
    }

    public int queueLength() {
        return queue.size();
    }

    public long queueDropped() {
        return queueDropped;
    }

    public long delivered() {
        return delivered;
    }

    public boolean isConnected() {
        return outlet != null;
    }
}
