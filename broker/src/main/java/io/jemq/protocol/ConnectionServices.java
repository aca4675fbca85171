package io.jemq.protocol;

import io.jemq.limits.MemoryBudgets;
import io.jemq.access.AccessControl;
import io.jemq.access.AuthChain;
import io.jemq.cluster.ClusterRoutes;
import io.jemq.config.BrokerSettings;
import io.jemq.events.BrokerEvents;
import io.jemq.flow.Backpressure;
import io.jemq.message.Message;
import io.jemq.retain.Retainer;
import io.jemq.store.Store;
import io.jemq.store.memory.MemoryStore;
import io.jemq.routing.Dispatcher;
import io.jemq.session.SessionRegistry;
import io.jemq.sys.Counters;
import io.jemq.will.Wills;

/**
 * The broker-wide services every connection uses, wired once by the Broker: settings, sessions, routing, retained
 * messages, access control, wills, counters, budgets, the event bus, and the registry of connected {@link Clients}.
 * Immutable after construction; shared by every event loop.
 */
public final class ConnectionServices {
    private final BrokerSettings settings;
    private final SessionRegistry sessions;
    private final Dispatcher dispatcher;
    private final Retainer retainer;
    private final AccessControl access;
    private final Wills wills;
    private final Counters counters;
    private final MemoryBudgets budgets;
    private final BrokerEvents events;
    private final Clients clients = new Clients();
    private final Store store;

    /** With a memory store of its own (tests). */
    public ConnectionServices(BrokerSettings settings, SessionRegistry sessions, Dispatcher dispatcher,
                              Retainer retainer, AccessControl access, Wills wills, Counters counters,
                              MemoryBudgets budgets, BrokerEvents events) {
        this(settings, sessions, dispatcher, retainer, access, wills, counters, budgets, events, new MemoryStore(0));
    }

    /** @param store the broker's store: a publish's writes are grouped into one unit whose ack waits for it */
    public ConnectionServices(BrokerSettings settings, SessionRegistry sessions, Dispatcher dispatcher,
                              Retainer retainer, AccessControl access, Wills wills, Counters counters,
                              MemoryBudgets budgets, BrokerEvents events, Store store) {
        this.store = store;
        this.events = events;
        this.budgets = budgets;
        this.settings = settings;
        this.sessions = sessions;
        this.dispatcher = dispatcher;
        this.retainer = retainer;
        this.access = access;
        this.wills = wills;
        this.counters = counters;
    }

    /** Retain handling, then routing. The caller keeps its reference. @return sessions the message went to */
    public int publish(Message m, Backpressure backpressure) {
        return dispatcher.dispatch(m, backpressure);
    }

    /** Where sessions and retained messages are kept: {@link Store#beginUnit()} around a publish. */
    Store store() {
        return store;
    }

    /** The cluster seam: a QoS 1/2 publish's acknowledgement also waits for the nodes it was forwarded to. */
    ClusterRoutes cluster() {
        return dispatcher.cluster();
    }

    /** The connected clients: counts, the management view, the broker's shutdown. */
    public Clients clients() {
        return clients;
    }

    /** Where connections report what happens to them; owned by the Broker. */
    BrokerEvents events() {
        return events;
    }

    BrokerSettings settings() {
        return settings;
    }

    SessionRegistry sessions() {
        return sessions;
    }

    /** What clients may make the broker hold; the transport's framer takes its read budget from here. */
    public MemoryBudgets budgets() {
        return budgets;
    }

    Retainer retainer() {
        return retainer;
    }

    AuthChain auth() {
        return access.auth();
    }

    AccessControl access() {
        return access;
    }

    Wills wills() {
        return wills;
    }

    /** The broker's counter table (docs/metrics.md). */
    public Counters counters() {
        return counters;
    }
}
