package io.jemq.auth.redis;

import io.jemq.api.SourceUnavailableException;
import io.jemq.auth.redis.RedisConfig.Address;
import io.jemq.auth.redis.RedisConfig.Topology;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.BaseRedisAsyncCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The plugin's connections to Redis: {@code auth.redis.pool} Lettuce connections (each multiplexes any number of
 * requests), used in turn. Nothing here blocks: a request is written at once and its future completes on one of
 * Lettuce's two I/O threads.
 *
 * <p>A connection is made on first use and made again on the first request after it is lost, so the plugin loads
 * while Redis is down and recovers by itself once it is back, without a thread of its own. After a failed attempt,
 * requests fail at once for {@link #RETRY_AFTER} instead of each trying again (a thousand CONNECTs a second must not
 * be a thousand connection attempts). Every failure completes the request with a {@link SourceUnavailableException}
 * whose reason names what failed; the broker's chain applies the failure policy and logs the outage once. A cluster
 * reconnects through Lettuce itself (it keeps one connection per node); requests are rejected while it is down.
 * Thread-safe: called from event loops and Lettuce's threads.
 */
final class RedisConnector implements AutoCloseable {
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    private static final Duration MIN_CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final String plugin;
    private final RedisConfig config;
    private final ClientResources resources;
    private final AbstractRedisClient client;
    private final RedisURI uri;                     // single and sentinel; null for a cluster
    private final Slot[] slots;
    private final AtomicInteger next = new AtomicInteger();
    private volatile boolean closed;

    RedisConnector(String plugin, RedisConfig config) {
        this.plugin = plugin;
        this.config = config;
        // two I/O threads whatever the machine: requests are tiny, and the broker owns the cores
        this.resources = ClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), RETRY_AFTER, 2, TimeUnit.MILLISECONDS))
                .build();
        SocketOptions socket = SocketOptions.builder().connectTimeout(connectTimeout(config)).build();
        TimeoutOptions timeouts = TimeoutOptions.enabled(config.queryTimeout());
        if (config.type() == Topology.CLUSTER) {
            RedisClusterClient cluster = RedisClusterClient.create(resources, config.servers().stream()
                    .map(a -> uri(RedisURI.Builder.redis(a.host(), a.port()))).toList());
            cluster.setOptions(ClusterClientOptions.builder().protocolVersion(ProtocolVersion.RESP2)
                    .socketOptions(socket).timeoutOptions(timeouts)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
            this.client = cluster;
            this.uri = null;
        } else {
            this.uri = config.type() == Topology.SENTINEL ? sentinelUri() : uri(RedisURI.Builder.redis(
                    config.servers().get(0).host(), config.servers().get(0).port()));
            RedisClient single = RedisClient.create(resources);
            // reconnecting is ours (on the next request): Lettuce's own would log every attempt and queue requests
            single.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2).autoReconnect(false)
                    .socketOptions(socket).timeoutOptions(timeouts)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
            this.client = single;
        }
        this.slots = new Slot[config.type() == Topology.CLUSTER ? 1 : config.pool()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Slot();
        }
    }

    private RedisURI sentinelUri() {
        Address first = config.servers().get(0);
        RedisURI.Builder b = RedisURI.Builder.sentinel(first.host(), first.port(), config.sentinelMaster());
        config.servers().stream().skip(1).forEach(a -> b.withSentinel(a.host(), a.port()));
        return uri(b);
    }

    private RedisURI uri(RedisURI.Builder b) {
        if (config.password() != null) {
            b.withPassword(config.password().toCharArray());
        }
        return b.withDatabase(config.database()).withTimeout(connectTimeout(config)).build();
    }

    /**
     * Making a connection (TCP, then AUTH and SELECT) may take longer than a query: a short query timeout must not
     * keep a cold or busy machine from ever connecting. Each command still times out after the query timeout.
     */
    private static Duration connectTimeout(RedisConfig config) {
        return config.queryTimeout().compareTo(MIN_CONNECT_TIMEOUT) < 0 ? MIN_CONNECT_TIMEOUT : config.queryTimeout();
    }

    /** Where the plugin looks, for logs: {@code 127.0.0.1:6379 db 0}. */
    String describe() {
        String servers = String.join(",", config.servers().stream().map(Address::toString).toList());
        return switch (config.type()) {
            case SINGLE -> servers + " database " + config.database();
            case SENTINEL -> "master " + config.sentinelMaster() + " of sentinel " + servers + " database "
                    + config.database();
            case CLUSTER -> "cluster " + servers;
        };
    }

    /**
     * Opens the connections now, so that the first clients do not wait for them (nor for a slow server's handshake)
     * and the load can say whether Redis answers; completes when the first is open or has failed.
     */
    CompletableFuture<?> warmUp() {
        for (int i = 1; i < slots.length; i++) {
            slots[i].connection();
        }
        return slots[0].connection();
    }

    /**
     * Sends one command as its arguments, the first being its name (each a single Redis argument, whatever it holds)
     * and the second its key (a cluster routes by it).
     *
     * @param key the setting the command comes from, named when it fails: {@code auth.redis.auth_cmd}
     * @return the reply as a list: a bulk reply is a list of one (null for nil), an array reply its elements
     */
    CompletableFuture<List<Object>> send(List<String> argv, String key) {
        Slot slot = slots[Math.floorMod(next.getAndIncrement(), slots.length)];
        return slot.connection().thenCompose(link -> {
            CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8);
            for (int i = 1; i < argv.size(); i++) {
                if (i == 1) {
                    args.addKey(argv.get(i));
                } else {
                    args.add(argv.get(i));
                }
            }
            return link.commands().dispatch(new Keyword(argv.get(0)), new NestedMultiOutput<>(StringCodec.UTF8),
                    args).toCompletableFuture();
        }).handle((reply, e) -> {
            if (e != null) {
                throw new CompletionException(failure(e, key));
            }
            return reply;
        });
    }

    /** What failed, in a few words that name the setting when Redis refused the command itself. */
    private SourceUnavailableException failure(Throwable e, String key) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof SourceUnavailableException u) {
            return u;
        }
        if (cause instanceof RedisCommandExecutionException) {
            return new SourceUnavailableException(plugin, key + " failed: " + cause.getMessage().strip());
        }
        if (cause instanceof RedisCommandTimeoutException) {
            return new SourceUnavailableException(plugin, "Redis at " + describe() + " gave no answer within "
                    + config.queryTimeout().toMillis() + " ms (auth.redis.query_timeout)");
        }
        return new SourceUnavailableException(plugin, "Redis at " + describe() + ": " + rootMessage(cause));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m.strip();
    }

    @Override
    public void close() {
        closed = true;
        for (Slot s : slots) {
            s.close();
        }
        try {
            client.shutdownAsync(0, 2, TimeUnit.SECONDS).get(3, TimeUnit.SECONDS);
            resources.shutdown(0, 2, TimeUnit.SECONDS).get(3, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing must not throw; the threads are daemons of Lettuce's and end with the JVM at worst
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** An open connection and the commands of its kind (a single node's or a cluster's). */
    private record Link(StatefulConnection<String, String> connection,
                        BaseRedisAsyncCommands<String, String> commands) {
    }

    /** One connection, made on demand; lock-free: the request that finds it missing or lost starts the next one. */
    private final class Slot {
        private final AtomicReference<CompletableFuture<Link>> current = new AtomicReference<>();
        private volatile long failedAt;

        CompletableFuture<Link> connection() {
            CompletableFuture<Link> f = current.get();
            if (closed) {
                return CompletableFuture.failedFuture(new SourceUnavailableException(plugin, "the plugin is closing"));
            }
            if (f != null) {
                if (!f.isDone()) {
                    return f;                                          // being made: wait with the others
                }
                if (!f.isCompletedExceptionally() && f.join().connection().isOpen()) {
                    return f;
                }
                if (f.isCompletedExceptionally() && System.nanoTime() - failedAt < RETRY_AFTER.toNanos()) {
                    return f;                                          // failed just now: fail fast, same reason
                }
            }
            CompletableFuture<Link> mine = new CompletableFuture<>();
            if (!current.compareAndSet(f, mine)) {
                return current.get();
            }
            if (f != null && f.isDone() && !f.isCompletedExceptionally()) {
                f.join().connection().closeAsync();                    // lost: release what Lettuce still holds
            }
            open().whenComplete((link, e) -> {
                if (e != null) {
                    failedAt = System.nanoTime();
                    mine.completeExceptionally(failure(e, "auth.redis.server"));
                } else {
                    mine.complete(link);
                }
            });
            return mine;
        }

        private CompletableFuture<Link> open() {
            try {
                if (client instanceof RedisClusterClient cluster) {
                    // the cluster's slots are read first (CLUSTER NODES); the connection then routes by key
                    return cluster.refreshPartitionsAsync().toCompletableFuture()
                            .thenCompose(v -> cluster.connectAsync(StringCodec.UTF8)).thenApply(
                            (StatefulRedisClusterConnection<String, String> c) -> new Link(c, c.async()));
                }
                return ((RedisClient) client).connectAsync(StringCodec.UTF8, uri).toCompletableFuture()
                        .thenApply((StatefulRedisConnection<String, String> c) -> new Link(c, c.async()));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        void close() {
            CompletableFuture<Link> f = current.getAndSet(CompletableFuture.failedFuture(
                    new SourceUnavailableException(plugin, "the plugin is closing")));
            if (f != null && f.isDone() && !f.isCompletedExceptionally()) {
                f.join().connection().close();
            } else if (f != null) {
                f.thenAccept(link -> link.connection().closeAsync());
            }
        }
    }

    /** A command's name as Redis reads it, whatever the config says (HGET, HMGET, GET, EVALSHA...). */
    private record Keyword(String name) implements ProtocolKeyword {
        @Override
        public byte[] getBytes() {
            return name.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
