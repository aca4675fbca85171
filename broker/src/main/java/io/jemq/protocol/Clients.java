package io.jemq.protocol;

import io.jemq.access.AclExplanation;
import io.jemq.api.Access;
import io.jemq.transport.HandlerNames;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The connected clients, for management and for the broker's own shutdown: list and inspect them, kick one, empty
 * its ACL cache, close them all. A connection is registered once its CONNACK is out and leaves when its socket
 * closes. Every look and every action runs as a task on the client's own event loop, so nothing here reads or
 * changes a connection from another thread; answers come back as futures, completed on those loops.
 *
 * <p>Thread-safe: called from any thread (the control socket, an HTTP API, {@code Broker.close}).
 */
public final class Clients {
    private static final Logger log = LoggerFactory.getLogger(Clients.class);

    private final Set<Connection> connected = ConcurrentHashMap.newKeySet();
    /** The newest connection of each client id: a take-over's new connection replaces the old one here. */
    private final ConcurrentHashMap<String, Connection> byClientId = new ConcurrentHashMap<>();
    private volatile PacketTracer tracer;

    void add(Connection c) {
        connected.add(c);
        byClientId.put(c.clientId, c);
    }

    void remove(Connection c) {
        connected.remove(c);
        byClientId.remove(c.clientId, c);
    }

    /** Connected clients right now. */
    public int count() {
        return connected.size();
    }

    /** A snapshot of every connected client, each taken on its own loop. */
    public CompletableFuture<List<ClientSnapshot>> list() {
        List<CompletableFuture<ClientSnapshot>> each = new ArrayList<>();
        for (Connection c : connected) {
            each.add(onLoop(c, Clients::snapshotIfConnected));
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<ClientSnapshot> all = new ArrayList<>(each.size());
            for (CompletableFuture<ClientSnapshot> f : each) {
                ClientSnapshot s = f.join();
                if (s != null) {
                    all.add(s);
                }
            }
            return all;
        });
    }

    /** One client by id; empty when it is not connected. */
    public CompletableFuture<Optional<ClientSnapshot>> get(String clientId) {
        Connection c = byClientId.get(clientId);
        if (c == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return onLoop(c, Clients::snapshotIfConnected).thenApply(Optional::ofNullable);
    }

    /**
     * Closes a client's connection as an operator's action: a 5.0 client gets DISCONNECT 0x98 (administrative
     * action); its will is published, as for any connection that ends without DISCONNECT.
     *
     * @return whether the client was connected
     */
    public CompletableFuture<Boolean> kick(String clientId) {
        return act(clientId, Connection::kick);
    }

    /** Empties a client's ACL cache: its next PUBLISH or SUBSCRIBE asks the ACL sources again. */
    public CompletableFuture<Boolean> cleanAclCache(String clientId) {
        return act(clientId, c -> {
            if (c.acl != null) {
                c.acl.clearCache();
            }
        });
    }

    /**
     * Why a connected client's publish or subscribe would be allowed or denied now, with its own superuser flag and
     * ACL cache, changing neither; empty when the client is not connected.
     */
    public CompletableFuture<Optional<AclExplanation>> explainAcl(String clientId, Access access, String topic) {
        Connection c = byClientId.get(clientId);
        if (c == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return onLoop(c, conn -> conn.state == Connection.State.CONNECTED && conn.acl != null
                ? conn.acl.explain(access, topic) : null)
                .thenCompose(f -> f == null ? CompletableFuture.completedFuture(Optional.<AclExplanation>empty())
                        : f.thenApply(Optional::of));
    }

    /** Sets (or with null removes) the tracer asked about every CONNECT from now on. */
    public void tracer(PacketTracer tracer) {
        this.tracer = tracer;
    }

    /** The tracer, or null: read once per CONNECT. */
    PacketTracer tracer() {
        return tracer;
    }

    /**
     * Starts tracing a connected client: {@code handler} is asked, on the client's loop, for the handler to put behind
     * its framer (unless one is there already).
     *
     * @return whether the client was connected and is now traced
     */
    public CompletableFuture<Boolean> startTrace(String clientId, Function<ClientSnapshot, ChannelHandler> handler) {
        return act(clientId, c -> addTraceHandler(c.channel.pipeline(), handler.apply(c.snapshot())));
    }

    /** Stops tracing a connected client. @return whether the client was connected */
    public CompletableFuture<Boolean> stopTrace(String clientId) {
        return act(clientId, c -> {
            if (c.channel.pipeline().get(HandlerNames.TRACE) != null) {
                c.channel.pipeline().remove(HandlerNames.TRACE);
            }
        });
    }

    /** On the connection's loop. */
    static void addTraceHandler(ChannelPipeline p, ChannelHandler handler) {
        if (handler != null && p.get(HandlerNames.TRACE) == null && p.get(HandlerNames.FRAMER) != null) {
            p.addAfter(HandlerNames.FRAMER, HandlerNames.TRACE, handler);
        }
    }

    /** The broker is stopping: each client is told (5.0) and closed; completes when every socket has closed. */
    public CompletableFuture<Void> shutdownAll() {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (Connection c : connected) {
            CompletableFuture<Void> closed = new CompletableFuture<>();
            closing.add(closed);
            c.channel.closeFuture().addListener(f -> closed.complete(null));
            onLoop(c, conn -> {
                conn.shutdown();
                return null;
            });
        }
        return CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Boolean> act(String clientId, Consumer<Connection> action) {
        Connection c = byClientId.get(clientId);
        if (c == null) {
            return CompletableFuture.completedFuture(false);
        }
        return onLoop(c, conn -> {
            if (conn.state != Connection.State.CONNECTED) {
                return false;
            }
            action.accept(conn);
            return true;
        }).thenApply(done -> done != null && done);
    }

    private static ClientSnapshot snapshotIfConnected(Connection c) {
        return c.state == Connection.State.CONNECTED ? c.snapshot() : null;
    }

    /** Runs {@code task} on the connection's loop; a loop that is shutting down answers null. */
    private static <T> CompletableFuture<T> onLoop(Connection c, Function<Connection, T> task) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        try {
            c.channel.eventLoop().execute(() -> {
                try {
                    answer.complete(task.apply(c));
                } catch (RuntimeException e) {
                    log.warn("management task on client {} failed", c.clientId, e);
                    answer.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            answer.complete(null);
        }
        return answer;
    }
}
