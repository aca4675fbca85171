package io.jemq.session;

import io.jemq.limits.MemoryBudgets;
import io.jemq.limits.QuotaExceededException;
import io.jemq.message.Delivery;
import io.jemq.routing.Router;
import io.jemq.routing.SubOptions;
import io.jemq.routing.Subscriber;
import io.jemq.routing.TopicFilter;
import io.jemq.routing.Topics;
import io.jemq.store.StoredSession;

import java.util.Map;

/**
 * A session's subscriptions: kept in its stored session, entered in the router, paid for from the subscriptions
 * budget; and whether a delivery routed before an UNSUBSCRIBE still matches one of them.
 *
 * <p>Threads: the session's owner loop only.
 */
final class SessionSubscriptions {
    private final Subscriber owner;
    private final StoredSession stored;
    private final Router router;
    private final MemoryBudgets budgets;
    private long removalsSeen;                   // Router.removals() after this session's last UNSUBSCRIBE

    SessionSubscriptions(Subscriber owner, StoredSession stored, Router router, MemoryBudgets budgets) {
        this.owner = owner;
        this.stored = stored;
        this.router = router;
        this.budgets = budgets;
    }

    /** @return the previous options for that filter, or null when the subscription is new */
    SubOptions subscribe(TopicFilter filter, SubOptions options) {
        if (!stored.subscriptions().containsKey(filter)
                && !budgets.subscriptions().tryReserve(MemoryBudgets.subscriptionCost(filter.filter()))) {
            throw new QuotaExceededException(
                    "the memory budget for subscriptions (mqtt.budget.subscriptions) is spent");
        }
        SubOptions previous = stored.subscribe(filter, options);
        router.subscribe(owner, filter, options);
        return previous;
    }

    /**
     * Subscribes {@code successor} to this session's filters but the shared ones (a take-over by another node); does
     * nothing for null.
     */
    void copyPlainTo(Subscriber successor) {
        stored.subscriptions().forEach((f, o) -> {
            if (successor != null && f.shareGroup() == null) {
                router.subscribe(successor, f, o);
            }
        });
    }

    boolean unsubscribe(TopicFilter filter) {
        if (!stored.unsubscribe(filter)) {
            return false;
        }
        router.unsubscribe(owner, filter);
        removalsSeen = router.removals();           // deliveries routed before this are checked again (isStale)
        budgets.subscriptions().release(MemoryBudgets.subscriptionCost(filter.filter()));
        return true;
    }

    /** Enters the subscriptions a restarted broker recovered in the router, paid for from the budget. */
    void restore() {
        for (Map.Entry<TopicFilter, SubOptions> e : stored.subscriptions().entrySet()) {
            budgets.subscriptions().reserve(MemoryBudgets.subscriptionCost(e.getKey().filter()));
            router.subscribe(owner, e.getKey(), e.getValue());
        }
    }

    /** Takes every subscription out of the router and gives its budget back; the session is ending. */
    void removeAll() {
        for (TopicFilter f : stored.subscriptions().keySet()) {
            router.unsubscribe(owner, f);
            budgets.subscriptions().release(MemoryBudgets.subscriptionCost(f.filter()));
        }
    }

    /**
     * Whether a delivery was routed before one of these subscriptions went away and no longer matches any. A
     * publisher on another loop can route to this session while this loop is still handling an UNSUBSCRIBE (its
     * first handling takes milliseconds in a fresh JVM), or be preempted between matching and submitting: such a
     * delivery must not go out after the UNSUBACK. Only deliveries routed before the last removal are looked at.
     */
    boolean isStale(Delivery d) {
        if (d.routedAt() >= removalsSeen) {
            return false;
        }
        String topic = d.message().topic();
        for (TopicFilter f : stored.subscriptions().keySet()) {
            if (Topics.matches(f.filter(), topic)) {
                return false;
            }
        }
        return true;
    }

    int count() {
        return stored.subscriptions().size();
    }

    boolean has(TopicFilter filter) {
        return stored.subscriptions().containsKey(filter);
    }

    Map<TopicFilter, SubOptions> all() {
        return stored.subscriptions();
    }
}
