package io.jemq.auth.mongo;

import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoCredential;
import com.mongodb.MongoException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.ReadPreference;
import com.mongodb.ServerAddress;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.connection.ClusterConnectionMode;
import com.mongodb.connection.ClusterType;
import io.jemq.api.PluginContext;
import io.jemq.api.Settings;
import io.jemq.api.SourceUnavailableException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The plugin's MongoDB client (the synchronous driver, its own connection pool of {@code auth.mongo.pool}), used only
 * on the plugin's bounded pool through {@link #call}. The driver reconnects by itself; the timeouts default to a few
 * seconds so that an outage answers "server unavailable" well within {@code mqtt.auth_timeout}. After a failure that
 * means the server is out, requests fail at once for {@link #RETRY_AFTER} instead of each holding a pool thread for the
 * server selection timeout. Made on the loading thread; thread-safe.
 */
final class MongoConnection implements AutoCloseable {
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    private static final String PREFIX = MongoConfig.PREFIX;

    private final PluginContext context;
    private final MongoClient client;
    private final MongoDatabase database;
    private final String describe;
    private volatile long failedAt;
    private volatile SourceUnavailableException lastFailure;

    /** Where the server is, how to log in and how long to wait: EMQ's connection keys, read here. */
    MongoConnection(PluginContext context) {
        this.context = context;
        Settings s = context.settings();
        List<ServerAddress> hosts = hosts(s);
        String db = s.string(PREFIX + "database", "mqtt").strip();
        this.describe = String.join(",", hosts.stream().map(ServerAddress::toString).toList()) + " database " + db;
        MongoClientSettings.Builder b = MongoClientSettings.builder();
        topology(s, b, hosts);
        Duration query = s.duration(PREFIX + "query_timeout", "5s", Duration.ofMillis(10), Duration.ofMinutes(1));
        Duration connect = millis(s, "topology.connect_timeout_ms", Duration.ofSeconds(3));
        Duration read = millis(s, "topology.socket_timeout_ms", query);
        b.applyToSocketSettings(x -> x.connectTimeout((int) connect.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout((int) read.toMillis(), TimeUnit.MILLISECONDS));
        int pool = s.integer(PREFIX + "pool", 8, 1, 1024);
        Duration waitQueue = millis(s, "topology.wait_queue_timeout_ms", Duration.ofSeconds(1));
        b.applyToConnectionPoolSettings(x -> x.maxSize(pool).maxWaitTime(waitQueue.toMillis(), TimeUnit.MILLISECONDS));
        Duration heartbeat = millis(s, "topology.heartbeat_frequency_ms", Duration.ofSeconds(10));
        Duration minHeartbeat = millis(s, "topology.min_heartbeat_frequency_ms", Duration.ofMillis(500));
        b.applyToServerSettings(x -> x.heartbeatFrequency(heartbeat.toMillis(), TimeUnit.MILLISECONDS)
                .minHeartbeatFrequency(minHeartbeat.toMillis(), TimeUnit.MILLISECONDS));
        credential(s, db).ifPresent(b::credential);
        String rMode = s.string(PREFIX + "r_mode", "master").strip();
        b.readPreference(rMode.equals("slave_ok") ? ReadPreference.secondaryPreferred() : ReadPreference.primary());
        if (s.bool(PREFIX + "ssl", false)) {
            SSLContext ssl = sslContext(s);
            b.applyToSslSettings(x -> x.enabled(true).context(ssl));
        }
        this.client = MongoClients.create(b.build());
        this.database = client.getDatabase(db);
    }

    private static List<ServerAddress> hosts(Settings s) {
        String text = s.string(PREFIX + "server", "").strip();
        List<ServerAddress> out = new ArrayList<>();
        for (String one : (text.isEmpty() ? "127.0.0.1:27017" : text).split(",")) {
            String h = one.strip();
            int colon = h.lastIndexOf(':');
            try {
                boolean v6 = h.startsWith("[");
                boolean noPort = colon < 0 || (v6 && colon < h.indexOf(']'));
                String host = noPort ? h : h.substring(0, colon);
                int port = noPort ? 27017 : Integer.parseInt(h.substring(colon + 1));
                host = v6 ? host.substring(1, host.length() - 1) : host;
                if (host.isEmpty() || port < 1 || port > 65535) {
                    throw new IllegalArgumentException(h);
                }
                out.add(new ServerAddress(host, port));
            } catch (RuntimeException e) {
                throw s.invalid(PREFIX + "server", "host:port, or a comma-separated list such as "
                        + "127.0.0.1:27017,127.0.0.2:27017");
            }
        }
        return out;
    }

    /** EMQ's {@code type = single | unknown | sharded | rs} (with {@code rs_set_name}). */
    private static void topology(Settings s, MongoClientSettings.Builder b, List<ServerAddress> hosts) {
        String type = s.string(PREFIX + "type", "single").strip();
        Duration selection = millis(s, "topology.server_selection_timeout_ms", Duration.ofSeconds(2));
        Duration threshold = millis(s, "topology.local_threshold_ms", Duration.ofMillis(15));
        String setName = s.string(PREFIX + "rs_set_name", "").strip();
        if (!List.of("single", "unknown", "sharded", "rs").contains(type)) {
            throw s.invalid(PREFIX + "type", "single, unknown, sharded or rs");
        }
        if (type.equals("single") && hosts.size() > 1) {
            throw s.invalid(PREFIX + "server", "one host:port with auth.mongo.type = single (a list is for rs, "
                    + "sharded and unknown)");
        }
        if (type.equals("rs") && setName.isEmpty()) {
            throw s.invalid(PREFIX + "rs_set_name", "the replica set's name, with auth.mongo.type = rs");
        }
        b.applyToClusterSettings(x -> {
            x.hosts(hosts).serverSelectionTimeout(selection.toMillis(), TimeUnit.MILLISECONDS)
                    .localThreshold(threshold.toMillis(), TimeUnit.MILLISECONDS);
            x.mode(type.equals("single") ? ClusterConnectionMode.SINGLE : ClusterConnectionMode.MULTIPLE);
            if (type.equals("rs")) {
                x.requiredReplicaSetName(setName).requiredClusterType(ClusterType.REPLICA_SET);
            } else if (type.equals("sharded")) {
                x.requiredClusterType(ClusterType.SHARDED);
            }
        });
    }

    /** {@code login} (2.3) or {@code user} (2.0, the seed), checked against {@code auth_source} (the database). */
    private static Optional<MongoCredential> credential(Settings s, String db) {
        String login = s.string(PREFIX + "login", s.string(PREFIX + "user", "")).strip();
        if (login.isEmpty()) {
            return Optional.empty();
        }
        String source = s.string(PREFIX + "auth_source", db).strip();
        return Optional.of(MongoCredential.createCredential(login, source.isEmpty() ? db : source,
                s.string(PREFIX + "password", "").toCharArray()));
    }

    /** TLS to MongoDB: the JVM's trusted CAs, or those of {@code ssl_opts.cacertfile} (PEM). */
    private static SSLContext sslContext(Settings s) {
        for (String key : List.of("ssl_opts.certfile", "ssl_opts.keyfile")) {
            if (!s.string(PREFIX + key, "").isBlank()) {
                throw s.invalid(PREFIX + key, "nothing: jemq does not send a client certificate to MongoDB yet "
                        + "(ssl_opts.cacertfile is supported)");
            }
        }
        String ca = s.string(PREFIX + "ssl_opts.cacertfile", "").strip();
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            if (ca.isEmpty()) {
                ssl.init(null, null, null);
                return ssl;
            }
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(Path.of(ca))) {
                int i = 0;
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    trust.setCertificateEntry("ca-" + i++, c);
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (IOException | GeneralSecurityException e) {
            throw s.invalid(PREFIX + "ssl_opts.cacertfile", "a readable PEM file of CA certificates (" + e + ")");
        }
    }

    private static Duration millis(Settings s, String key, Duration defaultValue) {
        return Duration.ofMillis(s.longInteger(PREFIX + key, defaultValue.toMillis(), 1, 3_600_000));
    }

    MongoDatabase database() {
        return database;
    }

    /** Where the plugin looks, for logs. */
    String describe() {
        return describe;
    }

    /**
     * Runs {@code work} on the plugin's pool; a failure completes the stage with a {@link SourceUnavailableException}
     * saying what failed. While the server is known to be out (a failure less than {@link #RETRY_AFTER} ago), fails at
     * once on the calling thread.
     */
    <T> CompletableFuture<T> call(Callable<T> work) {
        SourceUnavailableException last = lastFailure;
        if (last != null && System.nanoTime() - failedAt < RETRY_AFTER.toNanos()) {
            return CompletableFuture.failedFuture(last);
        }
        return context.callBlocking(() -> {
            try {
                T result = work.call();
                lastFailure = null;
                return result;
            } catch (MongoException e) {
                throw failure(e);
            }
        });
    }

    private SourceUnavailableException failure(MongoException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        if (e instanceof MongoCommandException c) {
            // the server refused the query itself (authentication, a bad operator): not an outage of the server
            return new SourceUnavailableException(context.name(), "MongoDB at " + describe + " refused the query: "
                    + c.getErrorCodeName() + " " + c.getErrorMessage());
        }
        SourceUnavailableException out = new SourceUnavailableException(context.name(), "MongoDB at " + describe
                + (e instanceof MongoTimeoutException ? " does not answer: " : ": ")
                + (message.length() > 300 ? message.substring(0, 300) + "..." : message));
        if (e instanceof MongoTimeoutException || e instanceof MongoSocketException) {
            failedAt = System.nanoTime();
            lastFailure = out;
        }
        return out;
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (RuntimeException e) {
            // closing must not throw
        }
    }
}
