package io.jemq.cluster.hazelcast;

import com.hazelcast.replicatedmap.ReplicatedMap;
import io.jemq.cluster.ClientRegistry;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Which node holds each client id: a Hazelcast {@link ReplicatedMap} {@code client id → node}, read locally. A claim
 * for a client id another node holds tells that node, on its link, to end the session there (closing its
 * connection) and, when the client resumes its session, to send the session here: one session per client id in the
 * whole cluster.
 *
 * <p>Threads: {@link #claim}/{@link #released} on the session registry's thread for that client: a local read and a
 * queued write, never a wait. {@link #dropEntriesOf} on Hazelcast's membership thread.
 */
final class ClientTable implements ClientRegistry {
    static final String MAP = "jemq.clients";

    private final String me;
    private final ReplicatedMap<String, String> map;
    private final PeerLinks links;
    private final ExecutorService writer;

    ClientTable(String me, ReplicatedMap<String, String> map, PeerLinks links, ExecutorService writer) {
        this.me = me;
        this.map = map;
        this.links = links;
        this.writer = writer;
    }

    @Override
    public CompletableFuture<Boolean> claim(String clientId, boolean resume) {
        String previous = map.get(clientId);
        writer.execute(() -> map.put(clientId, me));
        if (previous == null || previous.equals(me)) {
            return null;
        }
        PeerLink link = links.link(previous);
        if (link == null) {
            return null;                        // that node is gone: its durable session comes back with it
        }
        CompletableFuture<Boolean> handOff = resume ? links.expectSession(clientId, previous) : null;
        link.takeOver(clientId, resume, me);
        return handOff;
    }

    @Override
    public void released(String clientId) {
        writer.execute(() -> map.remove(clientId, me));
    }

    /** A node died or was forced out: the client ids it held are free (run by the oldest member). */
    void dropEntriesOf(String node) {
        writer.execute(() -> {
            for (Map.Entry<String, String> e : map.entrySet()) {
                if (e.getValue().equals(node)) {
                    map.remove(e.getKey(), node);
                }
            }
        });
    }

    int size() {
        return map.size();
    }
}
