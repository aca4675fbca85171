package io.jemq.session;

import io.jemq.routing.SubOptions;
import io.jemq.routing.TopicFilter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Read-only snapshots of the sessions for management (ctl, REST, dashboard): each one taken on its session's owner
 * loop, since sessions are touched nowhere else, and handed back on that loop. Called from any thread; nothing
 * outside a loop gets hold of a live session through here.
 */
public final class SessionsView {
    private final SessionRegistry registry;

    SessionsView(SessionRegistry registry) {
        this.registry = registry;
    }

    /** Every session, by client id. Sessions that end meanwhile may be missing. */
    public CompletableFuture<List<SessionSnapshot>> sessions() {
        List<CompletableFuture<Optional<SessionSnapshot>>> each = new ArrayList<>();
        for (Session s : registry.all()) {
            each.add(onOwner(s).thenApply(Optional::ofNullable));
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<SessionSnapshot> list = new ArrayList<>(each.size());
            for (CompletableFuture<Optional<SessionSnapshot>> f : each) {
                f.join().ifPresent(list::add);
            }
            list.sort(Comparator.comparing(SessionSnapshot::clientId));
            return list;
        });
    }

    /** The session of one client; empty when it has none. */
    public CompletableFuture<Optional<SessionSnapshot>> session(String clientId) {
        Session s = registry.get(clientId);
        return s == null ? CompletableFuture.completedFuture(Optional.empty())
                : onOwner(s).thenApply(Optional::ofNullable);
    }

    /** The subscriptions of one client, in the order made; empty when it has no session. */
    public CompletableFuture<List<SubscriptionSnapshot>> subscriptions(String clientId) {
        Session s = registry.get(clientId);
        if (s == null) {
            return CompletableFuture.completedFuture(List.of());
        }
        CompletableFuture<List<SubscriptionSnapshot>> result = new CompletableFuture<>();
        SessionRegistry.runOnOwner(s, () -> result.complete(s.isEnded() ? List.of() : subscriptionsOf(s)));
        return result;
    }

    /**
     * Subscribes a client's session as an operator's action ({@code ctl subscriptions add}, the REST API), on its
     * owner loop; no ACL check, no retained messages (EMQ's behaviour). Completes with false when the client has no
     * session, exceptionally when a limit refuses it.
     */
    public CompletableFuture<Boolean> subscribe(String clientId, TopicFilter filter, SubOptions options) {
        Session s = registry.get(clientId);
        if (s == null) {
            return CompletableFuture.completedFuture(false);
        }
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        SessionRegistry.runOnOwner(s, () -> {
            try {
                if (s.isEnded()) {
                    result.complete(false);
                } else {
                    s.subscribe(filter, options);
                    result.complete(true);
                }
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** Removes one subscription of a client's session. Completes with whether the session had it. */
    public CompletableFuture<Boolean> unsubscribe(String clientId, TopicFilter filter) {
        Session s = registry.get(clientId);
        if (s == null) {
            return CompletableFuture.completedFuture(false);
        }
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        SessionRegistry.runOnOwner(s, () -> result.complete(!s.isEnded() && s.unsubscribe(filter)));
        return result;
    }

    private static CompletableFuture<SessionSnapshot> onOwner(Session s) {
        CompletableFuture<SessionSnapshot> result = new CompletableFuture<>();
        SessionRegistry.runOnOwner(s, () -> result.complete(s.isEnded() ? null : snapshotOf(s)));
        return result;
    }

    /** On the session's owner loop. */
    private static SessionSnapshot snapshotOf(Session s) {
        SessionFigures f = s.figures();
        return new SessionSnapshot(s.clientId(), s.expirySeconds() == 0, s.expirySeconds(), s.createdAtMillis(),
                s.isConnected(), s.subscriptionCount(), f.inflight(), f.queued(), f.dropped(), f.delivered(),
                f.awaitingRel());
    }

    /** On the session's owner loop. */
    private static List<SubscriptionSnapshot> subscriptionsOf(Session s) {
        List<SubscriptionSnapshot> list = new ArrayList<>(s.subscriptionCount());
        s.subscriptions().forEach((f, o) -> list.add(SubscriptionSnapshot.of(s.clientId(), f, o)));
        return list;
    }
}
