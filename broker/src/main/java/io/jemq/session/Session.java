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
import io.jemq.store.MessageQueue;
import io.jemq.store.StoredSession;
import io.jemq.sys.Counters;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * A client's session: its life cycle (attach, detach, hand-over, expiry, end) and the inbox deliveries arrive
 * through; the rest is in parts it delegates to: {@link SessionSubscriptions}, {@link OutboundWindow} (inflight and
 * acknowledgements), {@link InboundQos2} (QoS 2 messages awaiting PUBREL), {@link SessionQueue} (waiting messages and
 * their limits), {@link Congestion}, {@link SessionExpiry} and {@link SessionWill}. What outlives
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
    private final InboundQos2 inboundQos2;
    private final DeliveryFlow flow;
    private final boolean storeQos0;

    private final SessionInbox inbox = new SessionInbox(this);
    private volatile EventLoop loop;

    private final SessionExpiry expiry = new SessionExpiry(this);
    private final SessionWill will;
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
        this.subscriptions = new SessionSubscriptions(this, stored, router, budgets);
        this.window = new OutboundWindow(clientId, settings, stored.inflight(), stored.qos2(), counters, events);
        this.inboundQos2 = new InboundQos2(this, stored.qos2(), window);
        this.queue = new SessionQueue(clientId, stored, queueSettings, budgets, counters, events,
                this::isStalled);
        this.congestion = new Congestion(queueSettings, queue, inbox::size);
        this.flow = new DeliveryFlow(this, subscriptions, window, queue, congestion);
        this.storeQos0 = queueSettings.storeQos0();
        this.will = new SessionWill(this, stored);
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

    /** Its backlog is above the high watermark and still moves: its publishers pause ({@link Congestion}). */
    @Override
    public boolean isCongested() {
        return congestion.isCongested();
    }

    /** Nothing left its queue for {@code mqtt.mqueue.stall_timeout}: it holds nobody back ({@link Congestion}). */
    public boolean isStalled() {
        return congestion.isStalled();
    }

    /** {@code resume} runs on this session's loop once it drained (at once if it has): {@link Congestion}. */
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

    /** The inbound QoS 2 messages that await PUBREL. */
    public InboundQos2 inboundQos2() {
        return inboundQos2;
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
        expiry.cancel();
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
        expiry.arm(expirySeconds, expirySeconds);
    }

    /** The expiry timer ran out: the session ends unless a connection came back meanwhile. */
    void expire(long expirySeconds) {
        if (window.outlet() == null && !ended) {
            end("expired after " + expirySeconds + "s offline");
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
        expiry.armRecovered(stored.expirySeconds(), stored.offlineSinceMillis());
    }

    /** Moves ownership to the loop of the connection taking the session over; called on the current owner loop. */
    void handOver(Outlet taker, EventLoop newLoop) {
        assert loop.inEventLoop();
        Outlet previous = window.outlet();
        window.detach();
        expiry.cancel();
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
        expiry.cancel();
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
    SessionHandOff handOff(Subscriber successor) {
        assert loop.inEventLoop();
        subscriptions.copyPlainTo(successor);      // before they leave the router: the routes stay meanwhile
        SessionHandOff handOff = SessionHandOff.take(stored, queue, inbox);
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

    /** The will its store keeps while the will's delay runs; any thread. */
    public SessionWill will() {
        return will;
    }

    /** How many connections have attached to this session so far; read from any thread. */
    public int attachments() {
        return attachments;
    }

    // ---------------------------------------------------------------- introspection (owner loop)

    /** The subscriptions by filter, read-only; owner loop. */
    Map<TopicFilter, SubOptions> subscriptions() {
        assert loop.inEventLoop();
        return subscriptions.all();
    }

    /** The message figures; consistent on the owner loop, approximate elsewhere. */
    public SessionFigures figures() {
        return new SessionFigures(window.size(), queue.length(), queue.dropped(), window.delivered(),
                inboundQos2.awaiting());
    }

    public boolean isConnected() {
        return window.outlet() != null;
    }
}
