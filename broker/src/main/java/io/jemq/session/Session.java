package io.jemq.session;

import io.jemq.config.QueueSettings;
import io.jemq.config.SessionSettings;
import io.jemq.events.BrokerEvents;
import io.jemq.limits.MemoryBudgets;
import io.jemq.message.Delivery;
import io.jemq.message.Message;
import io.jemq.routing.Router;
import io.jemq.routing.SubOptions;
import io.jemq.routing.Subscriber;
import io.jemq.routing.TopicFilter;
import io.jemq.store.InflightEntry;
import io.jemq.store.InflightWindow;
import io.jemq.store.MessageQueue;
import io.jemq.store.Qos2Receipts;
import io.jemq.store.StoredSession;
import io.jemq.sys.Counters;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A client's session: its life cycle (attach, detach, hand-over, expiry, end) and the inbox deliveries arrive
 * through; the rest is in parts it delegates to: {@link SessionSubscriptions}, {@link OutboundWindow} (inflight and
 * acknowledgements), {@link SessionQueue} (waiting messages and their limits) and {@link Congestion}. What outlives
 * a restart lives in its {@link StoredSession}. It outlives its connection when the client asked for a persistent
 * session, until it expires.
 *
 * <p>Threads: all state is owned by one event loop, {@link #loop()}: the loop of the connection it belongs to (or
 * last belonged to). Other threads only call {@link #deliver} / {@link #submit(Delivery)}, which go through a
 * lock-free {@link SessionInbox} drained on the owner loop, once per batch. When a client reconnects on another loop
 * the session moves there at a single hand-over point; inbox drains that find themselves on the wrong loop
 * re-dispatch.
 */
public final class Session implements Subscriber {
    private static final Logger log = LoggerFactory.getLogger(Session.class);

    private final String clientId;
    private final SessionRegistry registry;
    private final BrokerEvents events;
    private final StoredSession stored;
    private final SessionSubscriptions subscriptions;
    private final OutboundWindow window;
    private final SessionQueue queue;
    private final Congestion congestion;
    private final Qos2Receipts receipts;
    private final DeliveryFlow flow;
    private final boolean storeQos0;

    private final SessionInbox inbox = new SessionInbox(this);
    private volatile EventLoop loop;

    private ScheduledFuture<?> expiryTimer;
    private volatile boolean ended;
    /** Connections attached so far: a connection that left tells from it whether a newer one resumed the session. */
    private volatile int attachments;

    /** A new session for {@code clientId} in the registry's store. */
    Session(String clientId, EventLoop loop, SessionSettings settings, QueueSettings queueSettings, Router router,
            SessionRegistry registry, Counters counters, MemoryBudgets budgets) {
        this(registry.store().create(clientId, System.currentTimeMillis()), loop, settings, queueSettings, router,
                registry, counters, budgets);
    }

    /** @param stored a new stored session, or one a restarted broker recovered ({@link #restore} follows) */
    Session(StoredSession stored, EventLoop loop, SessionSettings settings, QueueSettings queueSettings,
            Router router, SessionRegistry registry, Counters counters, MemoryBudgets budgets) {
        this.clientId = stored.clientId();
        this.loop = loop;
        this.registry = registry;
        this.events = registry.events();
        this.stored = stored;
        this.receipts = stored.qos2();
        this.subscriptions = new SessionSubscriptions(this, stored, router, budgets);
        this.window = new OutboundWindow(clientId, settings, stored.inflight(), receipts, counters, events);
        this.queue = new SessionQueue(clientId, stored, queueSettings, budgets, counters, events,
                this::isStalled);
        this.congestion = new Congestion(queueSettings, queue, inbox::size);
        this.flow = new DeliveryFlow(this, subscriptions, window, queue, congestion);
        this.storeQos0 = queueSettings.storeQos0();
    }

    @Override
    public String clientId() {
        return clientId;
    }

    public EventLoop loop() {
        return loop;
    }

    public long createdAtMillis() {
        return stored.createdAtMillis();
    }

    // ---------------------------------------------------------------- any thread

    /** The publish pipeline's hand-over (see {@link Subscriber#deliver}): one delivery into the inbox. */
    @Override
    public void deliver(Message message, int qos, boolean retainFlag, int[] subscriptionIds, long routedAt) {
        accepted(new Delivery(message, qos, retainFlag, subscriptionIds, routedAt));
    }

    /** Hands a delivery to this session from any thread; ownership of its message reference passes to the session. */
    public void submit(Delivery d) {
        inbox.offer(d);
    }

    /**
     * A delivery the publish pipeline routed here: a persistent session's store writes it first, QoS 0 only when it
     * will wait in the queue (offline, mqtt.mqueue.store_qos0). Any thread.
     */
    private void accepted(Delivery d) {
        if (d.qos() > 0 || storeQos0 && !isOnline()) {
            stored.accept(d);
        }
        inbox.offer(d);
    }

    /** After a batch from the inbox: congestion follows the backlog, and what was written goes out. */
    void drained() {
        flow.drained();
    }

    /** One delivery from the inbox: sent, queued or dropped. Owner loop. */
    void accept(Delivery d) {
        flow.accept(d);
    }

    /** Moves queued deliveries into the window and onto the socket while both have room. Owner loop. */
    public void drainQueue() {
        assert loop.inEventLoop();
        flow.drainQueue();
    }

    // ---------------------------------------------------------------- flow control (any thread)

    /**
     * True while this connected session's backlog (queue and inbox) is above the high watermark and its queue still
     * moves: publishers that route to it pause reading until it drains (each pause at most max_pause). A stalled
     * queue holds nobody back; a full inbox does (see {@link Congestion}). Any thread.
     */
    @Override
    public boolean isCongested() {
        return congestion.isCongested();
    }

    /**
     * True while this connected session has messages queued and has sent none of them to its socket for
     * {@code mqtt.mqueue.stall_timeout}: its client neither acknowledges (QoS 1, 2) nor reads (the socket stays
     * unwritable). Pausing its publishers would not make it drain; its queue drops the oldest instead, and
     * send_timeout may close it. Any thread.
     */
    public boolean isStalled() {
        return congestion.isStalled();
    }

    /**
     * A publisher paused because of this session asks to be resumed once it drains. {@code resume} runs on this
     * session's loop (it must hop to the publisher's own loop itself), at once if the congestion already cleared.
     */
    @Override
    public void whenDrained(Runnable resume) {
        congestion.whenDrained(resume);
    }

    /** A publisher that asked {@link #whenDrained} closed: its callback is dropped. Any thread. */
    @Override
    public void forgetPaused(Runnable resume) {
        congestion.forgetPaused(resume);
    }

    /** Publishers waiting for this session to drain; for tests and the session listing. */
    public int pausedPublisherCount() {
        return congestion.pausedPublisherCount();
    }

    /** The queued deliveries, oldest first; owner loop only. */
    MessageQueue queued() {
        assert loop.inEventLoop();
        return queue.store();
    }

    // ---------------------------------------------------------------- acknowledgements (owner loop)

    /** A PUBACK arrived. @return false when no QoS 1 delivery had that id. */
    public boolean onPuback(int packetId) {
        assert loop.inEventLoop();
        if (!window.onPuback(packetId)) {
            return false;
        }
        drainQueue();
        return true;
    }

    /** A PUBREC arrived: the payload is no longer needed, PUBREL goes out. @return false for an unknown id. */
    public boolean onPubrec(int packetId) {
        assert loop.inEventLoop();
        return window.onPubrec(packetId);
    }

    /** A 5.0 PUBREC with an error reason ends that delivery. */
    public void onPubrecFailed(int packetId) {
        window.onPubrecFailed(packetId);
        drainQueue();
    }

    /** A PUBCOMP arrived. @return false when no delivery awaited it. */
    public boolean onPubcomp(int packetId) {
        assert loop.inEventLoop();
        if (!window.onPubcomp(packetId)) {
            return false;
        }
        drainQueue();
        return true;
    }

    /**
     * An inbound QoS 2 PUBLISH. @return true when it is new (route it), false when it is a resend of a packet id
     * still awaiting PUBREL (answer PUBREC again, don't route twice).
     */
    public boolean receiveQos2(int packetId) {
        assert loop.inEventLoop();
        if (receipts.awaitsRelease(packetId)) {
            return false;
        }
        receipts.receive(packetId, System.nanoTime());
        window.armRetry();
        return true;
    }

    public int awaitingRelCount() {
        return receipts.size();
    }

    /** A PUBREL arrived. @return false when the id was not awaiting release (the 5.0 PUBCOMP says 0x92). */
    public boolean release(int packetId) {
        assert loop.inEventLoop();
        return receipts.release(packetId);
    }

    // ---------------------------------------------------------------- subscriptions (owner loop)

    /** @return the previous options for that filter, or null when the subscription is new. */
    public SubOptions subscribe(TopicFilter filter, SubOptions options) {
        assert loop.inEventLoop();
        return subscriptions.subscribe(filter, options);
    }

    public boolean unsubscribe(TopicFilter filter) {
        assert loop.inEventLoop();
        return subscriptions.unsubscribe(filter);
    }

    public int subscriptionCount() {
        return subscriptions.count();
    }

    public boolean hasSubscription(TopicFilter filter) {
        return subscriptions.has(filter);
    }

    // ---------------------------------------------------------------- life cycle (owner loop)

    /** The session's connection is up (new or resumed); {@link #resume()} follows once CONNACK is written. */
    void attach(Outlet newOutlet, long newExpirySeconds) {
        assert loop.inEventLoop();
        window.attach(newOutlet, loop);
        congestion.attached();
        queue.moved();                       // a new connection has its own chance to drain what waited
        this.attachments++;                  // one writer: the owner loop
        stored.expirySeconds(newExpirySeconds);
        if (expiryTimer != null) {
            expiryTimer.cancel(false);
            expiryTimer = null;
        }
    }

    /**
     * Called right after CONNACK went out: resend what was in flight, with DUP, and PUBREL for what was already
     * received, then move queued messages into the window.
     */
    public void resume() {
        assert loop.inEventLoop();
        window.resend();
        drainQueue();
        window.outlet().flush();
    }

    /** The client may change the expiry in its 5.0 DISCONNECT. */
    public void setExpirySeconds(long seconds) {
        stored.expirySeconds(seconds);
    }

    public long expirySeconds() {
        return stored.expirySeconds();
    }

    /** The connection closed. The session ends now (expiry 0) or later, unless a client resumes it first. */
    public void detach(Outlet from) {
        assert loop.inEventLoop();
        if (window.outlet() != from) {
            return;                          // already taken over by a newer connection
        }
        window.detach();
        congestion.update(false);
        if (ended) {
            return;
        }
        long expirySeconds = stored.expirySeconds();
        if (expirySeconds == 0) {
            end("clean session closed");
            return;
        }
        stored.offlineSince(System.currentTimeMillis());
        armExpiry(expirySeconds, expirySeconds);
    }

    private void armExpiry(long expirySeconds, long remainingSeconds) {
        if (expirySeconds < 0xFFFFFFFFL) {
            expiryTimer = loop.schedule(() -> {
                if (window.outlet() == null && !ended) {
                    end("expired after " + expirySeconds + "s offline");
                }
            }, remainingSeconds, TimeUnit.SECONDS);
        }
    }

    /**
     * A session a restarted broker recovered, now on its owner loop: its subscriptions go back into the router,
     * its queue is counted, and its expiry runs from when its connection left (or from now, when that is unknown).
     */
    void restore() {
        assert loop.inEventLoop();
        subscriptions.restore();
        queue.recovered();
        long expiry = stored.expirySeconds();
        long since = stored.offlineSinceMillis();
        long offlineSeconds = since == 0 ? 0 : Math.max(0, (System.currentTimeMillis() - since) / 1000);
        armExpiry(expiry, Math.max(0, expiry - offlineSeconds));
    }

    /** Moves ownership to the loop of the connection taking the session over; called on the current owner loop. */
    void handOver(Outlet taker, EventLoop newLoop) {
        assert loop.inEventLoop();
        Outlet previous = window.outlet();
        window.detach();
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
        end(why, false);
    }

    /**
     * @param keepDurable the broker is stopping: what a disk store keeps stays there for the next start; only the
     *                    memory is released
     */
    void end(String why, boolean keepDurable) {
        assert loop.inEventLoop();
        if (ended) {
            return;
        }
        ended = true;
        Outlet outlet = window.outlet();
        window.detach();
        if (outlet != null) {
            outlet.kick();
        }
        if (expiryTimer != null) {
            expiryTimer.cancel(false);
        }
        subscriptions.removeAll();
        queue.clear();
        inbox.clear();
        if (keepDurable) {
            stored.unload();
        } else {
            stored.delete();
        }
        congestion.clear();
        registry.removeEnded(this);
        if (events.active()) {
            events.sessionEnded(clientId);
        }
        log.debug("session {} ended: {}", clientId, why);
    }

    /** Ends the session for a take-over by another node, handing over what it held (see {@link SessionHandOff}). */
    SessionHandOff handOff() {
        assert loop.inEventLoop();
        List<Delivery> pending = new ArrayList<>();
        for (InflightEntry e : stored.inflight().inSendOrder()) {
            Delivery d = e.delivery();
            if (d != null && e.stage() != InflightWindow.Stage.AWAITING_PUBCOMP) {
                pending.add(new Delivery(d.message().retain(), d.qos(), d.retainFlag(), d.subscriptionIds()));
            }
        }
        for (Delivery d = queue.poll(); d != null; d = queue.poll()) {
            pending.add(d);
        }
        SessionHandOff handOff = new SessionHandOff(new LinkedHashMap<>(stored.subscriptions()), pending);
        end("taken over by another node");
        return handOff;
    }

    boolean isEnded() {
        return ended;
    }

    /** Whether a connection is attached; read from any thread. */
    public boolean isOnline() {
        return congestion.isOnline();
    }

    /** How many connections have attached to this session so far; read from any thread. */
    /** Keeps the will whose delay runs in the store (a disk store writes it), on the owner loop; any thread. */
    public void keepWill(Message will, long delaySeconds) {
        EventLoop owner = loop;
        if (owner.inEventLoop()) {
            stored.will(will, delaySeconds);        // the usual case: the connection's loop owns its session
        } else {
            owner.execute(() -> stored.will(will, delaySeconds));
        }
    }

    /** Forgets the kept will if it is still {@code will} (published or cancelled); any thread. */
    public void forgetWill(Message will) {
        loop.execute(() -> {
            if (stored.will() == will) {
                stored.will(null, 0);
            }
        });
    }

    /** The will a disk store recovered for this session and when it is due, or null; at start. */
    public Message recoveredWill() {
        return stored.will();
    }

    /** When the recovered will is due: its delay from when the connection left (now, if that is unknown). */
    public long recoveredWillDueAtMillis() {
        long left = stored.offlineSinceMillis() > 0 ? stored.offlineSinceMillis() : System.currentTimeMillis();
        return left + TimeUnit.SECONDS.toMillis(stored.willDelaySeconds());
    }

    public int attachments() {
        return attachments;
    }

    // ---------------------------------------------------------------- introspection (owner loop)

    /** The subscriptions by filter, read-only; owner loop. */
    Map<TopicFilter, SubOptions> subscriptions() {
        assert loop.inEventLoop();
        return subscriptions.all();
    }

    public int inflightCount() {
        return window.size();
    }

    public int queueLength() {
        return queue.length();
    }

    public long queueDropped() {
        return queue.dropped();
    }

    public long delivered() {
        return window.delivered();
    }

    public boolean isConnected() {
        return window.outlet() != null;
    }
}
