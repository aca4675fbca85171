package io.jemq.cluster.hazelcast;

import com.hazelcast.replicatedmap.ReplicatedMap;
import io.jemq.cluster.ClientRegistry;
import io.jemq.session.SessionMirror;
import io.jemq.store.StoredSession;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Which node holds each client id: a Hazelcast {@link ReplicatedMap} {@code client id → node}, read locally. A claim
 * for a client id another node holds tells that node, on its link, to end the session there (closing its
 * connection) and, when the client resumes its session, to send the session here: one session per client id in the
 * whole cluster. When no live node has the session, it comes from the replica of durable sessions
 * ({@link SessionReplicas}), which this table also hands the session registry as its {@link SessionMirror}.
 *
 * <p>Threads: {@link #claim}/{@link #released} on the session registry's thread for that client: a local read and a
 * queued write, never a wait (a resume whose holder this copy of the table does not know reads the replica's image
 * asynchronously, and the hand-off or the rebuild continues on Hazelcast's thread; a resume from the replica answers
 * a future its own thread completes). {@link #holding}
 * as {@link SessionMirror} says. {@link #dropEntriesOf} on Hazelcast's membership thread.
 */
final class ClientTable implements ClientRegistry, SessionMirror {
    static final String MAP = "jemq.clients";

    private final String me;
    private final ReplicatedMap<String, String> map;
    private final PeerLinks links;
    private final ExecutorService writer;
    /** Null when durable sessions are not replicated ({@code cluster.session_replicas = 0}). */
    private final SessionReplicas replicas;

    ClientTable(String me, ReplicatedMap<String, String> map, PeerLinks links, ExecutorService writer,
                SessionReplicas replicas) {
        this.me = me;
        this.map = map;
        this.links = links;
        this.writer = writer;
        this.replicas = replicas;
    }

    /**
     * A resuming client asks the node holding its session first (it hands the session over on the link); only when
     * there is none, or it did not hand one over because it was declared dead meanwhile, is the session rebuilt
     * from the replica (which checks that its holder is no member any more).
     */
    @Override
    public CompletableFuture<Boolean> claim(String clientId, boolean resume) {
        String previous = map.get(clientId);
        writer.execute(() -> map.put(clientId, me));
        PeerLink link = previous == null || previous.equals(me) ? null : links.link(previous);
        if (link == null) {
            if (!resume || replicas == null) {
                return null;                 // nobody holds it, or that node is gone (its session comes back with it)
            }
            // this table's copy may not have every entry yet (a node that has just joined): the replica's image
            // names the holder; a live one hands the session over, else it is rebuilt from the replica
            return replicas.imageOf(clientId).thenCompose(image -> {
                String holder = image == null ? null : image.owner();
                PeerLink holding = holder == null || holder.equals(me) ? null : links.link(holder);
                return holding == null ? replicas.resume(clientId, image)      // the image read once, not again
                        : handOffFrom(holding, holder, clientId, true);
            });
        }
        return handOffFrom(link, previous, clientId, resume);
    }

    private CompletableFuture<Boolean> handOffFrom(PeerLink link, String holder, String clientId, boolean resume) {
        CompletableFuture<Boolean> handOff = resume ? links.expectSession(clientId, holder) : null;
        link.takeOver(clientId, resume, me);
        if (handOff == null || replicas == null) {
            return handOff;
        }
        return handOff.thenCompose(had -> had ? CompletableFuture.completedFuture(true) : replicas.resume(clientId));
    }

    /** A recovered session takes its client id when nobody else holds it, and tells no one (it may be dropped). */
    @Override
    public StoredSession holding(StoredSession stored, long expirySeconds, boolean recovered) {
        StoredSession held = replicas == null ? stored : replicas.holding(stored, expirySeconds, recovered);
        if (recovered && held != null) {
            writer.execute(() -> map.putIfAbsent(stored.clientId(), me));
        }
        return held;
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
