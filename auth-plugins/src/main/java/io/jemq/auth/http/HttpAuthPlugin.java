package io.jemq.auth.http;

import io.jemq.api.Authenticator;
import io.jemq.api.Authorizer;
import io.jemq.api.ConfigException;
import io.jemq.api.LiveSettings;
import io.jemq.api.Plugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The loaded {@code emq_auth_http}: one authenticator (auth_req, super_req at CONNECT) and one authorizer (super_req
 * per check, acl_req, the ACL cache), both reading the current settings snapshot at each request. Both are always
 * handed to the broker, and answer IGNORE while their requests are not configured, so an update can switch a request
 * on or off without loading the plugin again.
 *
 * <p>{@link #update} (and {@link #liveSettings()}, its keys-and-values form for management) changes the settings
 * while the plugin runs: checked, written to {@code etc/plugins/emq_auth_http.conf}, then swapped in whole. Called on
 * management threads, one update at a time; requests on event loops meanwhile use the old or the new snapshot.
 */
public final class HttpAuthPlugin implements Plugin {
    private static final Logger log = LoggerFactory.getLogger(HttpAuthPlugin.class);

    private final Path configFile;
    private final RequestCounters counters;
    private final HttpAuthenticator authenticator;
    private final HttpAuthorizer authorizer;
    private final LiveSettings live = new Live();
    private volatile HttpAuthRuntime runtime;

    /** @param configFile where updates are written; null keeps them in memory only */
    HttpAuthPlugin(HttpAuthSettings settings, Path configFile, RequestCounters counters) {
        this.configFile = configFile;
        this.counters = counters;
        this.runtime = new HttpAuthRuntime(settings, counters);
        this.authenticator = new HttpAuthenticator(() -> runtime, counters);
        this.authorizer = new HttpAuthorizer(() -> runtime, counters);
    }

    /** The settings in effect. */
    public HttpAuthSettings settings() {
        return runtime.settings;
    }

    /**
     * Applies {@code next} to the requests that start from now on, with an empty ACL cache, after writing it to the
     * config file (atomically, comments kept) so a restart or a reload reads the same.
     *
     * @throws ConfigException when a TLS file cannot be read or the file cannot be written; nothing changed then
     */
    public synchronized void update(HttpAuthSettings next) {
        HttpAuthRuntime fresh = new HttpAuthRuntime(next, counters);
        if (configFile != null) {
            try {
                ConfWriter.write(configFile, next.toConf(), HttpAuthSettings.defaults());
            } catch (IOException e) {
                throw new ConfigException("emq_auth_http: cannot write " + configFile + ": " + e
                        + "; the settings did not change");
            }
        }
        runtime = fresh;
        log.info("emq_auth_http: settings updated{}", configFile == null ? "" : " and written to " + configFile);
    }

    @Override
    public Optional<LiveSettings> liveSettings() {
        return Optional.of(live);
    }

    @Override
    public List<Authenticator> authenticators() {
        return List.of(authenticator);
    }

    @Override
    public List<Authorizer> authorizers() {
        return List.of(authorizer);
    }

    /** Requests in flight right now (tests, the bounded pool). */
    int inFlight() {
        return runtime.client.inFlight();
    }

    /**
     * Nothing to release by hand: the JDK 17 HttpClient has no close; its connections and selector thread end once
     * the client is unreachable, which it is after the broker drops the plugin.
     */
    @Override
    public void close() {
        log.debug("emq_auth_http closed");
    }

    /** The settings as keys and values, for management and the dashboard. */
    private final class Live implements LiveSettings {
        @Override
        public Map<String, String> current() {
            return settings().toConf();
        }

        @Override
        public Map<String, String> update(Map<String, String> changes) {
            synchronized (HttpAuthPlugin.this) {
                HttpAuthPlugin.this.update(settings().with(changes));
                return current();
            }
        }
    }
}
