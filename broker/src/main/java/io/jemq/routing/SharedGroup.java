package io.jemq.routing;

import io.jemq.config.SharedStrategy;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The members of one share group on one filter, and the choice of the member that gets each message. Members are a
 * copy-on-write array: {@link #pick} runs on any thread without locks, changes happen under the router's lock.
 */
final class SharedGroup {

    static final SharedGroup[] NONE = new SharedGroup[0];

    final String name;
    /** The filter the group subscribed to, for the cluster's choice of the node that serves a message. */
    final String filter;
    volatile Subscription[] members = Subscription.NONE;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicReference<Subscription> sticky = new AtomicReference<>();

    SharedGroup(String name, String filter) {
        this.name = name;
        this.filter = filter;
    }

    /** The member that gets a message from {@code publisher} (may be null), or null if the group is empty. */
    Subscription pick(SharedStrategy strategy, String publisher) {
        Subscription[] m = members;
        int n = m.length;
        if (n == 0) {
            return null;
        }
        switch (strategy) {
            case ROUND_ROBIN:
                return m[Math.floorMod(next.getAndIncrement(), n)];
            case STICKY:
                return pickSticky(m);
            case HASH:
                return m[Math.floorMod(publisher == null ? 0 : publisher.hashCode(), n)];
            case RANDOM:
            default:
                return m[ThreadLocalRandom.current().nextInt(n)];
        }
    }

    /** Keeps the current member while it is subscribed; when it left, a racing pick may win but all agree after. */
    private Subscription pickSticky(Subscription[] m) {
        Subscription current = sticky.get();
        if (current != null && current.active) {
            return current;
        }
        Subscription chosen = m[ThreadLocalRandom.current().nextInt(m.length)];
        if (sticky.compareAndSet(current, chosen)) {
            return chosen;
        }
        Subscription winner = sticky.get();
        return winner != null && winner.active ? winner : chosen;
    }

    /** Under the router's lock. @return true if new, false if it replaced the subscriber's earlier subscription */
    boolean add(Subscription sub) {
        Subscription[] m = members;
        int i = Subscription.indexOf(m, sub.subscriber);
        if (i < 0) {
            members = Subscription.append(m, sub);
            return true;
        }
        Subscription old = m[i];
        members = Subscription.replace(m, i, sub);
        // new options are not leaving the group: a sticky choice follows the member to its new subscription
        sticky.compareAndSet(old, sub);
        old.active = false;
        return false;
    }

    /** Under the router's lock. @return true if the subscriber was a member */
    boolean remove(Subscriber subscriber) {
        Subscription[] m = members;
        int i = Subscription.indexOf(m, subscriber);
        if (i < 0) {
            return false;
        }
        members = Subscription.remove(m, i);
        m[i].active = false;
        sticky.compareAndSet(m[i], null);
        return true;
    }

    boolean isEmpty() {
        return members.length == 0;
    }
}
