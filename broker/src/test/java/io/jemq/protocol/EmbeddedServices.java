package io.jemq.protocol;

import io.jemq.access.AccessControl;
import io.jemq.cluster.ClientRegistry;
import io.jemq.cluster.ClusterRoutes;
import io.jemq.config.BrokerSettings;
import io.jemq.config.ConfFile;
import io.jemq.events.BrokerEvents;
import io.jemq.limits.MemoryBudgets;
import io.jemq.retain.Retainer;
import io.jemq.routing.Router;
import io.jemq.routing.Dispatcher;
import io.jemq.session.SessionRegistry;
import io.jemq.store.memory.MemoryStore;
import io.jemq.sys.Alarms;
import io.jemq.sys.Counters;
import io.jemq.will.Wills;
import io.netty.channel.ChannelHandler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The broker's services wired as {@code Broker} wires them (sessions, routing, retained messages, wills, access
 * control with its defaults), without listeners: connections are {@link EmbeddedConnection}s sharing them, so one
 * test's publisher reaches another's subscriber through the real router and sessions.
 */
final class EmbeddedServices {
    private final BrokerSettings settings;
    private final Counters counters = new Counters();
    private final BrokerEvents events = new BrokerEvents();
    private final MemoryBudgets budgets;
    private final AccessControl access;
    private final ConnectionServices services;
    private final List<EmbeddedConnection> connections = new ArrayList<>();

    /** @param keyValues alternating emq.conf keys and values over the defaults */
    EmbeddedServices(String... keyValues) {
        Map<String, String> conf = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            conf.put(keyValues[i], keyValues[i + 1]);
        }
        settings = BrokerSettings.from(ConfFile.of(conf));
        budgets = new MemoryBudgets(settings.budgets(), new Alarms());
        MemoryStore store = new MemoryStore(settings.retainer().maxMessageNum());
        Router router = new Router(settings.sharedStrategy(), ClusterRoutes.SINGLE_NODE, counters);
        SessionRegistry sessions = new SessionRegistry(settings.session(), settings.mqueue(), router, counters, budgets,
                store.sessions(), ClientRegistry.SINGLE_NODE, events);
        Retainer retainer = new Retainer(settings.retainer(), counters, budgets.retained(), store.retained());
        Dispatcher dispatcher = new Dispatcher(router, retainer::onRetainedPublish, settings.session(), counters,
                events, ClusterRoutes.SINGLE_NODE);
        access = new AccessControl(settings.access(), settings.mqtt().allowAnonymous(), counters);
        services = new ConnectionServices(settings, sessions, dispatcher, retainer, access,
                new Wills(dispatcher::dispatch, sessions), counters, budgets, events);
    }

    EmbeddedConnection connection() {
        EmbeddedConnection c = new EmbeddedConnection(this);
        connections.add(c);
        return c;
    }

    ChannelHandler newHandler(String listenerId) {
        return new ConnectionHandler(services, listenerId);
    }

    /** Runs what every connection's loop has queued (deliveries from another connection's loop land there). */
    void runPendingTasks() {
        for (int round = 0; round < 3; round++) {
            for (EmbeddedConnection c : connections) {
                c.channel().runPendingTasks();
            }
        }
    }

    void close() {
        connections.forEach(EmbeddedConnection::close);
        connections.clear();
    }

    BrokerSettings settings() {
        return settings;
    }

    Counters counters() {
        return counters;
    }

    MemoryBudgets budgets() {
        return budgets;
    }

    BrokerEvents events() {
        return events;
    }

    AccessControl access() {
        return access;
    }

    ConnectionServices services() {
        return services;
    }
}
