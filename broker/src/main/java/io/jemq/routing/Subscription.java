package io.jemq.routing;

import java.util.Arrays;

/**
 * One (subscriber, filter) pair as stored in the trie: the options unpacked into fields so routing reads them without
 * an extra hop. Immutable except {@link #active}; a changed subscription is a new object.
 */
final class Subscription {

    static final Subscription[] NONE = new Subscription[0];
    static final int[] NO_IDS = new int[0];

    final Subscriber subscriber;
    final SubOptions options;
    final int qos;
    final boolean noLocal;
    final boolean retainAsPublished;
    /** {@code [subscriptionId]}, or empty: built once so a delivery can hand it out without allocating. */
    final int[] ids;
    /** Cleared when the subscription is removed or replaced, so a sticky share group notices its member left. */
    volatile boolean active = true;

    Subscription(Subscriber subscriber, SubOptions options) {
        this.subscriber = subscriber;
        this.options = options;
        this.qos = options.qos();
        this.noLocal = options.noLocal();
        this.retainAsPublished = options.retainAsPublished();
        this.ids = options.subscriptionId() == 0 ? NO_IDS : new int[] {options.subscriptionId()};
    }

    /** Index of the subscriber's entry in {@code subs}, by identity, or -1. */
    static int indexOf(Subscription[] subs, Subscriber subscriber) {
        for (int i = 0; i < subs.length; i++) {
            if (subs[i].subscriber == subscriber) {
                return i;
            }
        }
        return -1;
    }

    /** A copy of {@code subs} with {@code sub} appended. */
    static Subscription[] append(Subscription[] subs, Subscription sub) {
        Subscription[] copy = Arrays.copyOf(subs, subs.length + 1);
        copy[subs.length] = sub;
        return copy;
    }

    /** A copy of {@code subs} with entry {@code i} replaced. */
    static Subscription[] replace(Subscription[] subs, int i, Subscription sub) {
        Subscription[] copy = subs.clone();
        copy[i] = sub;
        return copy;
    }

    /** A copy of {@code subs} without entry {@code i}. */
    static Subscription[] remove(Subscription[] subs, int i) {
        if (subs.length == 1) {
            return NONE;
        }
        Subscription[] copy = new Subscription[subs.length - 1];
        System.arraycopy(subs, 0, copy, 0, i);
        System.arraycopy(subs, i + 1, copy, i, subs.length - i - 1);
        return copy;
    }
}
