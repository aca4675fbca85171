package io.jemq.mgmt.http;

import io.jemq.Broker;
import io.jemq.BrokerModule;
import io.jemq.mgmt.admin.AdminSessions;
import io.jemq.mgmt.admin.AdminStore;
import io.jemq.mgmt.admin.AdminsCommand;
import io.jemq.mgmt.prometheus.MetricsEndpoint;
import io.jemq.mgmt.rest.AclApi;
import io.jemq.mgmt.rest.AdminsApi;
import io.jemq.mgmt.rest.AlarmsApi;
import io.jemq.mgmt.rest.ClientsApi;
import io.jemq.mgmt.rest.ConfigsApi;
import io.jemq.mgmt.rest.CredentialsApi;
import io.jemq.mgmt.rest.Node;
import io.jemq.mgmt.rest.NodesApi;
import io.jemq.mgmt.rest.PluginSettingsApi;
import io.jemq.mgmt.rest.PluginsApi;
import io.jemq.mgmt.rest.PublishApi;
import io.jemq.mgmt.rest.RetainedApi;
import io.jemq.mgmt.rest.StoreApi;
import io.jemq.mgmt.rest.SubscriptionsApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The management listener ({@code listener.api.mgmt}) as a {@link BrokerModule}: EMQ 2.3's REST API under
 * {@code /api/v2/}, the seed's {@code POST /mqtt/publish}, {@code GET /status} and the Prometheus {@code /metrics},
 * with the admins they are guarded by and the {@code admins} ctl command. Found by {@link java.util.ServiceLoader};
 * {@link Broker#start()} starts it on its own thread before the MQTT listeners bind, {@link Broker#close()} closes it
 * first. Without a {@code listener.api.mgmt} line nothing is served (the {@code admins} command still works).
 *
 * <p>Endpoints run on two threads of their own ({@code jemq-mgmt-api-N}, 256 requests queued at most, 503 beyond), so a
 * slow request never holds an MQTT or HTTP event loop.
 */
public final class HttpApiModule implements BrokerModule {
    private static final Logger log = LoggerFactory.getLogger(HttpApiModule.class);
    private static final int THREADS = 2;

    /** How long a dashboard session lives unused. */
    private static final Duration SESSION_IDLE = Duration.ofMinutes(30);

    private AdminStore admins;
    private AdminSessions sessions;
    private AdminCheck check;
    private Routes routes;
    private HttpServer server;
    private MetricsEndpoint metrics;

    @Override
    public String name() {
        return "http-api";
    }

    @Override
    public void start(Broker broker) throws Exception {
        admins = new AdminStore(broker.settings().node().dataDir());
        broker.commands().register("admins", new AdminsCommand(admins));
        sessions = new AdminSessions(SESSION_IDLE, Clock.systemUTC(),
                name -> admins.get(name).map(a -> String.valueOf(a.passwordHash())));  // null: the shipped one
        check = new StoreCheck(admins, sessions);
        routes = routes(broker);
        Optional<ApiListener> listener = ApiListener.from(broker.settings().file());
        if (listener.isEmpty()) {
            log.debug("no listener.api.mgmt: the HTTP API is off");
            return;
        }
        server = new HttpServer(listener.get(), routes, check, "jemq-mgmt-api", THREADS);
        log.info("management API listening on {}:{}{}", listener.get().host(), server.port(),
                listener.get().tls().isPresent() ? " (https)" : "");
        if (admins.defaultPasswordInUse()) {
            log.warn("the HTTP API's admin still has the shipped password \"public\": change it "
                    + "(bin/jemq ctl admins passwd admin <Password>, or PUT /api/v2/change_pwd/admin)");
        }
    }

    private Routes routes(Broker broker) {
        Node node = new Node(broker, Instant.now());
        Routes routes = new Routes();
        metrics = new MetricsEndpoint(broker.counters());
        metrics.register(routes);
        new PublishApi(broker, node).register(routes);
        new NodesApi(broker, node).register(routes);
        new ClientsApi(broker, node).register(routes);
        new SubscriptionsApi(broker, node).register(routes);
        new PluginsApi(broker, node).register(routes);
        new ConfigsApi(broker, node).register(routes);
        new AdminsApi(admins).register(routes);
        new AlarmsApi(broker, node).register(routes);
        new StoreApi(broker, node).register(routes);
        new RetainedApi(broker).register(routes);
        new AclApi(broker).register(routes);
        new PluginSettingsApi(broker, node).register(routes);
        new CredentialsApi(broker).register(routes);
        Endpoint index = c -> CompletableFuture.completedFuture(Map.of("paths", routes.describe()));
        routes.get("/api/v2", index).get("/api/v2/", index);
        return routes;
    }

    /** The bound port of the management listener (0 in the settings picks one); -1 when it is off. */
    public int port() {
        return server == null ? -1 : server.port();
    }

    /** The REST API's routes, each guarded as on this listener: the dashboard serves them too. */
    public Routes routes() {
        return routes;
    }

    /** The admin check of every listener: HTTP Basic, or a dashboard session's cookie and CSRF token. */
    public AdminCheck adminCheck() {
        return check;
    }

    /** The dashboard's login sessions. */
    public AdminSessions sessions() {
        return sessions;
    }

    /** The admins of the API. */
    public AdminStore admins() {
        return admins;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }

    /** The admin store as the request handler asks it. */
    private record StoreCheck(AdminStore store, AdminSessions sessions) implements AdminCheck {
        @Override
        public boolean check(String username, String password) {
            return store.check(username, password);
        }

        @Override
        public String warning() {
            return store.defaultPasswordInUse() ? "the admin password is the shipped one: change it" : null;
        }
    }
}
