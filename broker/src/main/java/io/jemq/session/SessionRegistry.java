package io.jemq.session;

import io.jemq.cluster.ClientRegistry;
import io.jemq.config.QueueSettings;
import io.jemq.config.SessionSettings;
import io.jemq.events.BrokerEvents;
import io.jemq.limits.MemoryBudgets;
import io.jemq.routing.Router;
import io.jemq.routing.Subscriber;
import io.jemq.store.SessionStore;
import io.jemq.store.StoredSession;
import io.jemq.store.memory.MemoryStore;
import io.jemq.sys.Counters;
import io.jemq.sys.Stat;
import io.jemq.message.Message;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Sessions by client id: opening (new, resumed, or replaced by a clean start), take-over by a second connection
 * with the same client id, and removal when a session ends. Thread-safe; each decision about one client id is
 * made atomically in the map, and the session's state moves only on its owner loop. Which node holds a client is
 * the {@link ClientRegistry}'s to say (this node alone for now); which loop of this node, this registry's.
 */
public final class SessionRegistry {
    private static final Logger log = LoggerFactory.getLogger(SessionRegistry.class);
    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final SessionSettings settings;
    private final QueueSettings queueSettings;
    private final Router router;
    private final Counters counters;
    private final MemoryBudgets budgets;
    private final SessionStore store;
    private final ClientRegistry clients;
    private final BrokerEvents events;
    private final SessionsView view = new SessionsView(this);
    /** A cluster's copy of the durable sessions while this node is a member; null for a node alone. */
    private volatile SessionMirror mirror;

    /** Sessions of one node alone, kept in memory, that nobody listens to (tests, tools). */
    public SessionRegistry(SessionSettings settings, QueueSettings queueSettings, Router router, Counters counters,
                           MemoryBudgets budgets) {
        this(settings, queueSettings, router, counters, budgets, new MemoryStore(0).sessions(),
                ClientRegistry.SINGLE_NODE, new BrokerEvents());
    }

    public SessionRegistry(SessionSettings settings, QueueSettings queueSettings, Router router, Counters counters,
                           MemoryBudgets budgets, SessionStore store, ClientRegistry clients, BrokerEvents events) {
        this.store = store;
        this.clients = clients;
        this.events = events;
        this.budgets = budgets;
        this.settings = settings;
        this.queueSettings = queueSettings;
        this.router = router;
        this.counters = counters;
    }

    /**
     * Opens the session of a connection that was just accepted. Called on the connection's loop; {@code onReady}
     * runs there too, with the session now owned by that loop and whether an existing session was resumed.
     *
     * @param expirySeconds 0 = ends with the connection; 0xFFFFFFFF = never expires
     */
    public void open(String clientId, boolean cleanStart, long expirySeconds, Outlet outlet, EventLoop loop,
                     BiConsumer<Session, Boolean> onReady) {
        assert loop.inEventLoop();
        Session[] replaced = new Session[1];
        boolean[] resumed = new boolean[1];
        CompletableFuture<?>[] moving = new CompletableFuture<?>[1];
        Session s = sessions.compute(clientId, (id, existing) -> {
            if (existing != null && !cleanStart && !existing.isEnded()) {
                resumed[0] = true;
                return existing;
            }
            replaced[0] = existing;
            // another node holding it lets go (a cluster's business), handing its session here when it resumes
            moving[0] = clients.claim(id, !cleanStart);
            StoredSession stored = held(store.create(id, System.currentTimeMillis()), expirySeconds, false);
            return new Session(stored, loop, settings, queueSettings, router,
                    this, counters, budgets);
        });
        counters.observe(Stat.SESSIONS, sessions.size());
        if (replaced[0] != null) {
            Session old = replaced[0];
            runOnOwner(old, () -> old.end("replaced by a clean start of the same client id"));
        }
        runOnOwner(s, () -> {
            if (s.isEnded()) {
                // it expired or was replaced while we were on our way: start over with a new session
                loop.execute(() -> open(clientId, true, expirySeconds, outlet, loop, onReady));
                return;
            }
            s.handOver(outlet, loop);
            Runnable attach = () -> {
                s.attach(outlet, expirySeconds);
                if (events.active()) {
                    if (resumed[0]) {
                        events.sessionResumed(clientId);
                    } else {
                        events.sessionCreated(clientId);
                    }
                }
                onReady.accept(s, resumed[0]);
            };
            if (moving[0] != null) {
                // the CONNACK waits for the other node's session: adopted into this one first, then present = 1
                moving[0].whenComplete((had, e) -> loop.execute(() -> {
                    resumed[0] = Boolean.TRUE.equals(had);
                    attach.run();
                }));
            } else if (loop.inEventLoop()) {
                attach.run();
            } else {
                loop.execute(attach);
            }
        });
    }

    /** Runs a task on the session's owner loop, following the session if it moves meanwhile. */
    public static void runOnOwner(Session s, Runnable task) {
        EventLoop owner = s.loop();
        if (owner.inEventLoop()) {
            task.run();
        } else {
            owner.execute(() -> runOnOwner(s, task));
        }
    }

    /**
     * Ends every session on its owner loop and waits (up to the timeout): the broker is stopping, and the messages
     * sessions hold (queues, inflight windows) must be released while the loops still run.
     */
    public void endAll(long timeoutMillis) {
        List<CompletableFuture<Void>> ended = new ArrayList<>();
        for (Session s : sessions.values()) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            ended.add(done);
            runOnOwner(s, () -> {
                s.end("the broker is stopping", true);
                done.complete(null);
            });
        }
        try {
            CompletableFuture.allOf(ended.toArray(CompletableFuture[]::new)).get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // a loop that did not answer in time: its sessions' messages go with the process
        }
    }

    /**
     * Puts back the sessions the store recovered at start, each on one of {@code loops}, with its subscriptions in
     * the router; returns once all are in place. Called once by the broker, after its modules started (a cluster
     * member drops a session another node took over meanwhile, see {@link SessionMirror}) and before the
     * listeners open.
     */
    public void restore(List<StoredSession> recovered, Supplier<EventLoop> loops) {
        List<CompletableFuture<Void>> restored = new ArrayList<>();
        int dropped = 0;
        for (StoredSession stored : recovered) {
            StoredSession held = held(stored, stored.expirySeconds(), true);
            if (held == null) {
                stored.delete();
                dropped++;
                continue;
            }
            EventLoop loop = loops.get();
            Session s = new Session(held, loop, settings, queueSettings, router, this, counters, budgets);
            sessions.put(s.clientId(), s);
            restored.add(CompletableFuture.runAsync(s::restore, loop));
        }
        if (dropped > 0) {
            log.info("{} sessions of this node's store were taken over by other nodes while it was down: dropped",
                    dropped);
        }
        CompletableFuture.allOf(restored.toArray(CompletableFuture[]::new)).join();
        counters.observe(Stat.SESSIONS, sessions.size());
    }

    /**
     * Hands each delayed will a disk store recovered (with a reference of its own) to {@code scheduler}, with the
     * session and when the will is due; at start, after {@link #restore}.
     */
    public void forEachRestoredWill(WillScheduler scheduler) {
        for (Session s : sessions.values()) {
            SessionWill.Recovered recovered = s.will().recovered();
            if (recovered != null) {
                scheduler.schedule(s, recovered.will().retain(), recovered.dueAtMillis());
            }
        }
    }

    /** Where {@link #forEachRestoredWill} hands a will: the broker's will registry. */
    @FunctionalInterface
    public interface WillScheduler {
        void schedule(Session session, Message will, long dueAtMillis);
    }

    /** From now on the sessions opened here are mirrored there (a cluster member); null: no longer. Any thread. */
    public void mirror(SessionMirror sessionMirror) {
        this.mirror = sessionMirror;
    }

    /** The store a session works on: its own, or the mirror's wrapper of it; null: drop a recovered session. */
    StoredSession held(StoredSession stored, long expirySeconds, boolean recovered) {
        SessionMirror m = mirror;
        return m == null ? stored : m.holding(stored, expirySeconds, recovered);
    }

    void removeEnded(Session s) {
        if (sessions.remove(s.clientId(), s)) {
            clients.released(s.clientId());
        }
    }

    SessionStore store() {
        return store;
    }

    BrokerEvents events() {
        return events;
    }

    /** Snapshots of the sessions and their subscriptions, for management. */
    public SessionsView view() {
        return view;
    }

    /** False once the session ended or a clean start replaced it (its end may still be on its way). Any thread. */
    public boolean isCurrent(Session s) {
        return !s.isEnded() && sessions.get(s.clientId()) == s;
    }

    public Session get(String clientId) {
        return sessions.get(clientId);
    }

    public int size() {
        return sessions.size();
    }

    /**
     * Ends {@code clientId}'s session here for a take-over by another node (its connection, if any, is closed) and
     * completes with what it held; with null when there is no such session. Any thread.
     *
     * @param successor null, or who takes the messages routed here for the client from now on (the new node's
     *                  forwarder): subscribed to the session's plain filters before the session lets go of them, so
     *                  those filters' routes never leave the cluster's table while the session moves
     */
    public CompletableFuture<SessionHandOff> handOff(String clientId, Subscriber successor) {
        Session s = sessions.get(clientId);
        if (s == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<SessionHandOff> done = new CompletableFuture<>();
        runOnOwner(s, () -> done.complete(s.isEnded() ? null : s.handOff(successor)));
        return done;
    }

    /**
     * Gives {@code clientId}'s session here what another node's session held: its subscriptions (a subscription
     * the client made meanwhile is kept) and its undelivered messages, sent or queued as any routed message.
     * Released when there is no such session. Any thread.
     */
    public void adopt(String clientId, SessionHandOff state) {
        Session s = sessions.get(clientId);
        if (s == null || s.isEnded()) {
            state.release();
            return;
        }
        runOnOwner(s, () -> {
            state.subscriptions().forEach((f, o) -> {
                if (!s.hasSubscription(f)) {
                    s.subscribe(f, o);
                }
            });
            // as routed here now: a persistent session's store writes each one
            state.pending().forEach(d -> s.deliver(d.message(), d.qos(), d.retainFlag(), d.subscriptionIds(),
                    router.removals()));
        });
    }

    public Collection<Session> all() {
        return sessions.values();
    }
}
