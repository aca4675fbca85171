package io.jemq.dashboard;

import io.jemq.Broker;
import io.jemq.BrokerModule;
import io.jemq.mgmt.http.ApiListener;
import io.jemq.mgmt.http.HttpApiModule;
import io.jemq.mgmt.http.HttpServer;
import io.jemq.mgmt.http.Routes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * The web dashboard ({@code dashboard.listener}, EMQ's port 18083): management's HTTP server a second time, serving
 * the single-page app's files, the login routes and every route of the REST API, which takes the dashboard's session
 * cookie (with its CSRF header) as well as HTTP Basic. Found by {@link java.util.ServiceLoader}; starts after
 * management ({@link #startOrder()}), whose admins, sessions and routes it uses, on the broker's start thread; closed
 * first on close. Requests run on two threads of its own ({@code jemq-dashboard-N}), never on an MQTT loop.
 */
public final class DashboardModule implements BrokerModule {
    private static final Logger log = LoggerFactory.getLogger(DashboardModule.class);
    private static final int THREADS = 2;

    private HttpServer server;

    @Override
    public String name() {
        return "dashboard";
    }

    @Override
    public int startOrder() {
        return 10;
    }

    @Override
    public void start(Broker broker) throws Exception {
        Optional<ApiListener> listener = DashboardSettings.listener(broker.settings().file());
        if (listener.isEmpty()) {
            log.debug("no dashboard.listener: the dashboard is off");
            return;
        }
        HttpApiModule api = broker.module(HttpApiModule.class).orElseThrow(() -> new IllegalStateException(
                "the dashboard needs the management module (jemq-management) on the class path"));
        Routes routes = new Routes();
        new LoginApi(api.admins(), api.sessions()).register(routes);
        routes.addAll(api.routes());
        StaticFiles files = new StaticFiles(api.sessions());
        routes.fallback(files::serve);
        server = new HttpServer(listener.get(), routes, api.adminCheck(), "jemq-dashboard", THREADS);
        log.info("dashboard listening on http://{}:{}/", listener.get().host(), server.port());
    }

    /** The bound port (0 in the settings picks one); -1 when the dashboard is off. */
    public int port() {
        return server == null ? -1 : server.port();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
