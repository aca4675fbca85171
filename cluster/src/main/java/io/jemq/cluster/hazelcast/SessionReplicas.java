package io.jemq.cluster.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.flakeidgen.FlakeIdGenerator;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import io.jemq.Broker;
import io.jemq.message.Delivery;
import io.jemq.routing.SubOptions;
import io.jemq.routing.TopicFilter;
import io.jemq.session.SessionHandOff;
import io.jemq.store.StoredSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The replica of the durable sessions of the cluster, in Hazelcast {@link IMap}s with synchronous backups
 * ({@code cluster.session_replicas}): {@value #IMAGES} (client id → image: holder, epoch, expiry, subscriptions) and
 * {@value #MESSAGES} ({@link ReplicaKey} → an undelivered QoS 1/2 message). Each node mirrors the durable sessions it
 * holds through {@link ReplicatedSession}; a node that gets a resuming client whose session's holder is no member any
 * more rebuilds the session from here ({@link #resume}); a node that comes back drops what it recovered of a session
 * another node took meanwhile ({@link #holding}).
 *
 * <p>Threads: {@link #holding} on the loop opening a session (a recovered one: the broker's start thread, which may
 * wait); {@link #put}/{@link #remove}/{@link #writeImage} on the session's threads, never waiting (Hazelcast's async
 * calls); the reads and bulk deletes on this object's own thread.
 */
final class SessionReplicas implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SessionReplicas.class);
    static final String IMAGES = "jemq.sessions";
    static final String MESSAGES = "jemq.session.messages";
    static final String EPOCHS = "jemq.session.epochs";
    /** How long a take-over waits for the new session to be registered (the registry's decision is under way). */
    private static final long REGISTERED_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final String me;
    private final Broker broker;
    private final IMap<String, byte[]> images;
    private final IMap<ReplicaKey, byte[]> messages;
    private final FlakeIdGenerator epochs;
    private final Supplier<List<String>> members;
    private final AtomicBoolean failing = new AtomicBoolean();
    /** This node left the cluster: the sessions it wrapped keep working on its own store, unmirrored. */
    private volatile boolean closed;
    private final ExecutorService io = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jemq-session-replica");
        t.setDaemon(true);
        return t;
    });

    SessionReplicas(String me, Broker broker, HazelcastInstance hz, Supplier<List<String>> members) {
        this.me = me;
        this.broker = broker;
        this.images = hz.getMap(IMAGES);
        this.messages = hz.getMap(MESSAGES);
        this.epochs = hz.getFlakeIdGenerator(EPOCHS);
        this.members = members;
    }

    /**
     * A session this node holds from now on. A recovered one whose image names another holder was taken over while
     * this node was down: null, the caller drops it. Otherwise it is mirrored under a new epoch (what an earlier run
     * of this node left in the replica is deleted once the new image is in).
     */
    StoredSession holding(StoredSession stored, long expirySeconds, boolean recovered) {
        if (recovered) {
            byte[] image = images.get(stored.clientId());
            if (image != null && !PeerCodec.readImage(image).owner().equals(me)) {
                return null;
            }
        }
        ReplicatedSession s = new ReplicatedSession(stored, this, epochs.newId(), expirySeconds);
        if (recovered) {
            s.mirrorAll();
        }
        return s;
    }

    void writeImage(String clientId, long epoch, long expirySeconds, Map<TopicFilter, SubOptions> subscriptions) {
        if (closed) {
            return;
        }
        byte[] image = PeerCodec.image(me, epoch, expirySeconds, subscriptions);
        try {
            images.submitToKey(clientId, new ReplicaImageWrite(epoch, image)).whenComplete((replaced, e) -> {
                if (e != null) {
                    failed(e);
                } else if (replaced > 0 && replaced != epoch) {
                    // an earlier holder's image (this node's previous run, or a node that died): its messages go
                    inBackground(() -> messages.removeAll(
                            Predicates.partitionPredicate(clientId, new ReplicaMessages(clientId, epoch, true))));
                }
            });
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /** Adds a message; the publish's acknowledgement ({@code waiting}, may be null) waits until it is replicated. */
    void put(ReplicaKey key, Delivery d, PublishAcceptance waiting) {
        if (closed) {
            return;
        }
        if (waiting != null) {
            waiting.expect();
        }
        try {
            messages.setAsync(key, PeerCodec.delivery(d)).whenComplete((v, e) -> {
                if (e != null) {
                    failed(e);
                }
                if (waiting != null) {
                    waiting.accepted();
                }
            });
        } catch (RuntimeException e) {          // the member is shutting down: the publish waits for nothing here
            failed(e);
            if (waiting != null) {
                waiting.accepted();
            }
        }
    }

    void remove(ReplicaKey key) {
        if (closed) {
            return;
        }
        try {
            messages.deleteAsync(key).whenComplete((v, e) -> {
                if (e != null) {
                    failed(e);
                }
            });
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /** The session of that epoch ended here: its image (unless a newer holder's) and its messages go. */
    void forget(String clientId, long epoch) {
        inBackground(() -> {
            images.executeOnKey(clientId, new ReplicaImageWrite(epoch, null));
            messages.removeAll(Predicates.partitionPredicate(clientId, new ReplicaMessages(clientId, epoch, false)));
        });
    }

    private void inBackground(Runnable task) {
        if (closed) {
            return;
        }
        try {
            io.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    failed(e);
                }
            });
        } catch (RejectedExecutionException e) {
            // the member left meanwhile
        }
    }

    /** The replica's image of {@code clientId}'s durable session (holder, epoch...); null if none or unreadable. */
    CompletableFuture<PeerCodec.Image> imageOf(String clientId) {
        if (closed) {
            return CompletableFuture.completedFuture(null);
        }
        return images.getAsync(clientId).toCompletableFuture()
                .handle((raw, e) -> raw == null || e != null ? null : PeerCodec.readImage(raw));
    }

    /**
     * A client resumes its session here and no live node had it: when the replica has its session and the holder
     * it names is no member any more, the session is rebuilt here (subscriptions, then the undelivered messages in
     * the order the holder took them) through {@link io.jemq.session.SessionRegistry#adopt}. Completes with whether
     * it was (the CONNACK's session present).
     */
    CompletableFuture<Boolean> resume(String clientId) {
        return resumeOn(clientId, () -> {
            byte[] raw = images.get(clientId);
            return raw != null && rebuild(clientId, PeerCodec.readImage(raw));
        });
    }

    /** As {@link #resume(String)}, from an image just read ({@link #imageOf}); null: there is none. */
    CompletableFuture<Boolean> resume(String clientId, PeerCodec.Image image) {
        return image == null ? CompletableFuture.completedFuture(false)
                : resumeOn(clientId, () -> rebuild(clientId, image));
    }

    private CompletableFuture<Boolean> resumeOn(String clientId, BooleanSupplier rebuild) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return rebuild.getAsBoolean();
            } catch (RuntimeException e) {
                log.warn("resuming the session of {} from the replica failed: {}", clientId, e.toString());
                return false;
            }
        }, io);
    }

    private boolean rebuild(String clientId, PeerCodec.Image image) {
        if (image.owner().equals(me) || members.get().contains(image.owner())) {
            return false;
        }
        List<Map.Entry<ReplicaKey, byte[]>> kept = new ArrayList<>(messages.entrySet(Predicates.partitionPredicate(
                clientId, new ReplicaMessages(clientId, image.epoch(), false))));
        kept.sort(Comparator.comparingLong(e -> e.getKey().seq()));
        List<Delivery> pending = new ArrayList<>(kept.size());
        kept.forEach(e -> pending.add(PeerCodec.readDelivery(e.getValue())));
        long until = System.nanoTime() + REGISTERED_WAIT_NANOS;
        while (broker.sessions().get(clientId) == null && System.nanoTime() - until < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));    // the registry is still deciding
        }
        broker.sessions().adopt(clientId, new SessionHandOff(image.subscriptions(), pending));
        log.info("session of {} resumed from the replica of {}, which is down ({} subscriptions, {} messages)",
                clientId, image.owner(), image.subscriptions().size(), pending.size());
        return true;
    }

    private void failed(Throwable e) {
        if (failing.compareAndSet(false, true)) {
            log.warn("writing the session replica failed (further failures not logged): {}", e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        io.shutdownNow();
    }
}
