package io.jemq;

import io.jemq.access.AccessControl;
import io.jemq.access.AclCommand;
import io.jemq.access.AclExplainer;
import io.jemq.access.AuthChain;
import io.jemq.cluster.ClusterSeams;
import io.jemq.config.AccessSettings;
import io.jemq.config.BrokerSettings;
import io.jemq.config.StorageSettings;
import io.jemq.ctl.ControlCommands;
import io.jemq.ctl.ControlServer;
import io.jemq.events.BrokerEvents;
import io.jemq.flow.Backpressure;
import io.jemq.plugin.Plugins;
import io.jemq.plugin.PluginsCommand;
import io.jemq.protocol.Clients;
import io.jemq.protocol.ConnectionServices;
import io.jemq.protocol.MqttPipeline;
import io.jemq.retain.Retainer;
import io.jemq.routing.Dispatcher;
import io.jemq.routing.Router;
import io.jemq.session.SessionRegistry;
import io.jemq.session.SessionsView;
import io.jemq.store.Store;
import io.jemq.store.StoreCommand;
import io.jemq.store.StoreProvider;
import io.jemq.store.memory.MemoryStore;
import io.jemq.limits.MemoryBudgets;
import io.jemq.message.Message;
import io.jemq.sys.Alarms;
import io.jemq.sys.Counters;
import io.jemq.sys.Stat;
import io.jemq.transport.Listeners;
import io.jemq.will.Wills;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The broker: wires listeners, sessions, routing and retained messages with constructors, in one place.
 * Embeddable:
 * {@code try (Broker b = Broker.builder().settings(s).build()) { b.start().join(); b.boundPort("tcp.external"); }}
 */
public final class Broker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Broker.class);

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private BrokerSettings settings;

        public Builder settings(BrokerSettings settings) {
            this.settings = settings;
            return this;
        }

        public Broker build() {
            if (settings == null) {
                throw new IllegalStateException("settings are required");
            }
            return new Broker(settings);
        }
    }

    private final BrokerSettings settings;
    private final Counters counters = new Counters();
    private final Alarms alarms = new Alarms();
    private final BrokerEvents events = new BrokerEvents();
    private final MemoryBudgets budgets;
    private final Store store;
    private final Router router;
    private final SessionRegistry sessions;
    private final Retainer retainer;
    private final AuthChain auth;
    private final AccessControl access;
    private final AclExplainer aclExplainer;
    private final ControlCommands commands = new ControlCommands();
    private final Plugins plugins;
    private volatile ControlServer controlServer;
    private final Wills wills;
    private final Dispatcher dispatcher;
    private final ConnectionServices services;
    private final Listeners listeners;
    private final List<BrokerModule> modules = new ArrayList<>();
    /** A node alone until a cluster module attaches its routes and client registry. */
    private final ClusterSeams cluster = new ClusterSeams();
    private volatile boolean closed;

    private Broker(BrokerSettings settings) {
        this.settings = settings;
        // what a bad config stops is checked before the store is opened: a failed start holds no store lock
        this.access = new AccessControl(settings.access(), settings.mqtt().allowAnonymous(), counters);
        this.auth = access.auth();
        auth.reportOutagesTo(alarms);
        access.acl().reportOutagesTo(alarms);
        access.acl().internal().reload();                   // a broken acl.conf stops the start, naming its line
        AccessSettings a = settings.access();
        this.plugins = new Plugins(a.pluginsEtcDir(), a.pluginsLoadedFile(), settings.node().dataDir(), access.auth(),
                access.acl(), commands, events);
        commands.register("plugins", new PluginsCommand(plugins));
        this.aclExplainer = new AclExplainer(access.acl(), (id, what, topic) -> clients().explainAcl(id, what, topic));
        commands.register("acl", new AclCommand(access.acl(), aclExplainer));
        plugins.loadAtStart();                              // so does a listed plugin whose config is broken
        try {
            this.store = openStore(settings, alarms, commands);
        } catch (RuntimeException e) {
            plugins.close();                                // a store that cannot open leaves no plugin running
            throw e;
        }
        this.router = new Router(settings.sharedStrategy(), cluster, counters);
        this.budgets = new MemoryBudgets(settings.budgets(), alarms);
        this.sessions = new SessionRegistry(settings.session(), settings.mqueue(), router, counters, budgets,
                store.sessions(), cluster, events);
        this.retainer = new Retainer(settings.retainer(), counters, budgets.retained(), store.retained());
        this.dispatcher = new Dispatcher(router, retainer::onRetainedPublish, settings.session(), counters,
                events, cluster);
        this.wills = new Wills(dispatcher::dispatch, sessions);
        this.services = new ConnectionServices(settings, sessions, dispatcher, retainer, access, wills, counters,
                budgets, events, store);
        this.listeners = new Listeners(new MqttPipeline(services), settings.mqtt(), counters);
        retainer.recovered();
        commands.register("store", new StoreCommand(store));
        bindStats();
    }

    /**
     * The store {@code mqtt.storage} names: memory, or the disk store of the store-rocksdb module, found with
     * {@link ServiceLoader}. Asking for one that is not on the class path stops the start.
     */
    private static Store openStore(BrokerSettings settings, Alarms alarms, ControlCommands commands) {
        if (settings.storage().mode() == StorageSettings.Mode.MEMORY) {
            return new MemoryStore(settings.retainer().maxMessageNum());
        }
        for (StoreProvider p : ServiceLoader.load(StoreProvider.class, Broker.class.getClassLoader())) {
            if (p.mode() == settings.storage().mode()) {
                try {
                    return p.open(settings, alarms, commands);
                } catch (Exception e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }
        }
        throw new IllegalStateException("mqtt.storage = disk, but the disk store (module store-rocksdb, "
                + "jemq-store-rocksdb.jar) is not on the class path: add it, or set mqtt.storage = memory");
    }

    /** The stats are read from the structures that own them; each owner reports its peaks itself. */
    private void bindStats() {
        counters.bind(Stat.CLIENTS, () -> services.clients().count());
        counters.bind(Stat.SESSIONS, sessions::size);
        counters.bind(Stat.TOPICS, router::topicCount);
        counters.bind(Stat.ROUTES, router::topicCount);
        counters.bind(Stat.SUBSCRIPTIONS, router::subscriptionCount);
        counters.bind(Stat.SUBSCRIBERS, router::subscriptionCount);
        counters.bind(Stat.RETAINED, retainer::size);
    }

    public BrokerSettings settings() {
        return settings;
    }

    /** Binds every listener; completes when all accept connections, or exceptionally when one cannot bind. */
    public CompletableFuture<Void> start() {
        if (settings.node().ctlSocket() != null) {
            try {
                controlServer = ControlServer.start(settings.node().ctlSocket(), commands);
            } catch (IOException e) {
                return CompletableFuture.failedFuture(new IOException("cannot open the control socket "
                        + settings.node().ctlSocket() + " (node.ctl_socket): " + e.getMessage(), e));
            }
        }
        try {
            startModules();
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
        // what a disk store recovered is back in place before any listener opens, and after the modules: a cluster
        // member drops the sessions another node took over while this one was down
        sessions.restore(store.sessions().recovered(), listeners.eventLoops()::next);
        sessions.forEachRestoredWill(wills::restore);
        store.sessions().willsOfExpired().forEach(wills::publishExpired);
        return listeners.bind(settings.listeners());
    }

    /**
     * The {@link BrokerModule}s on the class path, started by {@link BrokerModule#startOrder()}, then class-path order;
     * the first failure stops the start.
     */
    private void startModules() throws IOException {
        List<BrokerModule> found = new ArrayList<>();
        ServiceLoader.load(BrokerModule.class, Broker.class.getClassLoader()).forEach(found::add);
        found.sort(Comparator.comparingInt(BrokerModule::startOrder));       // stable: class-path order within one
        for (BrokerModule module : found) {
            try {
                module.start(this);
            } catch (Exception e) {
                module.close();
                throw new IOException("module " + module.name() + " could not start: " + e.getMessage(), e);
            }
            synchronized (modules) {
                modules.add(module);
            }
            log.debug("module {} started", module.name());
        }
    }

    /** A started {@link BrokerModule} of that class, e.g. management to ask for its bound port. */
    public <T extends BrokerModule> Optional<T> module(Class<T> type) {
        synchronized (modules) {
            return modules.stream().filter(type::isInstance).map(type::cast).findFirst();
        }
    }

    /** The port a listener is bound to, e.g. {@code boundPort("tcp.external")}; useful when it was configured as 0. */
    public int boundPort(String listenerId) {
        return listeners.boundPort(listenerId);
    }

    /** Where broker events go: register a {@link io.jemq.api.BrokerListener} here. */
    public BrokerEvents events() {
        return events;
    }

    public Alarms alarms() {
        return alarms;
    }

    public MemoryBudgets budgets() {
        return budgets;
    }

    /** The counter table: every figure of the $SYS tree, per listener and per auth source (docs/metrics.md). */
    public Counters counters() {
        return counters;
    }

    /** The listeners: their ports, current connections and event loops. */
    public Listeners listeners() {
        return listeners;
    }

    public Router router() {
        return router;
    }

    public SessionRegistry sessions() {
        return sessions;
    }

    /** Read-only snapshots of sessions and their subscriptions, taken on their loops (routes: {@link #router()}). */
    public SessionsView sessionsView() {
        return sessions.view();
    }

    /** Where session state and retained messages are kept. */
    public Store store() {
        return store;
    }

    public Retainer retainer() {
        return retainer;
    }

    public AuthChain auth() {
        return auth;
    }

    /** The plugins: known, loaded, load and unload at run time. */
    public Plugins plugins() {
        return plugins;
    }

    /** The commands {@code bin/jemq ctl} runs; parts of an embedding application may add theirs. */
    public ControlCommands commands() {
        return commands;
    }

    /** Authentication chain and ACL chain. */
    public AccessControl access() {
        return access;
    }

    /**
     * Publishes a message that comes from no MQTT client ($SYS, the HTTP API): through the same pipeline as a
     * client's, without the publisher's ACL check, which is the caller's to make. Any thread; the caller keeps its
     * reference to the message and releases it after the call.
     *
     * @return how many local subscribers the message was handed to
     */
    public int publish(Message message) {
        return dispatcher.dispatch(message);
    }

    /** Explains ACL checks for operators (management, {@code ctl acl explain}); changes no cache. */
    public AclExplainer aclExplainer() {
        return aclExplainer;
    }

    /**
     * Delivers a message another node of the cluster forwarded: applied to the retained store and routed to the
     * local subscribers only, never forwarded again and not told to the broker's listeners (the publishing node did).
     * Any thread; the caller keeps its reference.
     *
     * @param backpressure the link the message came on: told about a congested subscriber, so it stops reading as a
     *                     local publisher would ({@link io.jemq.flow.PublisherPause}); null to ignore congestion
     * @return how many local subscribers the message was handed to
     */
    public int publishFromPeer(Message message, Backpressure backpressure) {
        return dispatcher.dispatchFromPeer(message, backpressure);
    }

    /** The cluster seams: a cluster module attaches its routes and client registry here. */
    public ClusterSeams cluster() {
        return cluster;
    }

    /** Connected clients right now. */
    public int connectionCount() {
        return services.clients().count();
    }

    /** The connected clients: list and inspect them, kick one, empty its ACL cache. */
    public Clients clients() {
        return services.clients();
    }

    /** Graceful stop: stop accepting, publish the wills of connected clients, close connections and sessions. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeModules();
        listeners.stopAccepting();
        try {
            services.clients().shutdownAll().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("not every connection closed within 5 s: {}", e.toString());
        }
        wills.flushAll();
        if (controlServer != null) {
            controlServer.close();
        }
        plugins.close();
        sessions.endAll(5000);          // releases the messages persistent sessions still hold
        listeners.close();
        store.close();                  // first: a closed store writes nothing, so clearing keeps what is on disk
        retainer.clear();
        log.info("broker stopped");
    }

    private void closeModules() {
        synchronized (modules) {
            for (int i = modules.size() - 1; i >= 0; i--) {
                modules.get(i).close();
            }
            modules.clear();
        }
    }
}
