package io.jemq.routing;

import java.util.Arrays;

/**
 * The result of one {@link Router#route}: one entry per delivery, in parallel arrays that are reused, so routing
 * allocates nothing once they have grown (an entry merging two or more distinct subscription ids is the exception).
 * Not thread-safe: each routing thread keeps its own, and clears it before each message.
 */
public final class Deliveries {

    /** Below this many subscribers, merging scans the entries; above it, it indexes them. */
    private static final int LINEAR_MERGE_LIMIT = 8;

    private Subscriber[] subscribers = new Subscriber[16];
    private int[] qos = new int[16];
    private boolean[] retainAsPublished = new boolean[16];
    private boolean[] shared = new boolean[16];
    private int[][] ids = new int[16][];
    private int size;

    // merge state of the route() in progress
    private int mergeFrom;
    private int unshared;
    private boolean indexed;

    final RouteScratch scratch = new RouteScratch();
    private final SubscriberIndex index = new SubscriberIndex();

    public int size() {
        return size;
    }

    public Subscriber subscriber(int i) {
        check(i);
        return subscribers[i];
    }

    /** The highest QoS among the subscriptions merged into this entry. */
    public int qos(int i) {
        check(i);
        return qos[i];
    }

    /** Whether any subscription merged into this entry asked for Retain As Published. */
    public boolean retainAsPublished(int i) {
        check(i);
        return retainAsPublished[i];
    }

    /** The ids of every merged subscription that has one, each once; empty if none. Shared: do not modify. */
    public int[] subscriptionIds(int i) {
        check(i);
        return ids[i];
    }

    /** Whether this entry comes from a share group (one member chosen) rather than the subscriber's own filters. */
    public boolean shared(int i) {
        check(i);
        return shared[i];
    }

    public void clear() {
        Arrays.fill(subscribers, 0, size, null); // no subscriber kept alive by a thread's buffer
        Arrays.fill(ids, 0, size, null);
        size = 0;
    }

    /** Starts merging the entries that follow the current ones. */
    void beginRoute() {
        mergeFrom = size;
        unshared = 0;
        indexed = false;
    }

    void endRoute() {
        if (indexed) {
            index.reset();
            indexed = false;
        }
    }

    /** Adds a non-shared subscription, merged into the subscriber's entry if this route already has one. */
    void merge(Subscription sub) {
        int i = find(sub.subscriber);
        if (i < 0) {
            i = append(sub, false);
            unshared++;
            if (indexed) {
                index.put(sub.subscriber, i);
            } else if (unshared > LINEAR_MERGE_LIMIT) {
                buildIndex();
            }
            return;
        }
        qos[i] = Math.max(qos[i], sub.qos);
        retainAsPublished[i] |= sub.retainAsPublished;
        if (sub.ids.length > 0) {
            ids[i] = withId(ids[i], sub.ids);
        }
    }

    /** Adds the chosen member of a share group as its own entry. */
    void addShared(Subscription sub) {
        append(sub, true);
    }

    private int find(Subscriber s) {
        if (indexed) {
            return index.get(s);
        }
        for (int i = mergeFrom; i < size; i++) {
            if (subscribers[i] == s && !shared[i]) {
                return i;
            }
        }
        return -1;
    }

    private void buildIndex() {
        for (int i = mergeFrom; i < size; i++) {
            if (!shared[i]) {
                index.put(subscribers[i], i);
            }
        }
        indexed = true;
    }

    private int append(Subscription sub, boolean isShared) {
        if (size == subscribers.length) {
            grow();
        }
        int i = size++;
        subscribers[i] = sub.subscriber;
        qos[i] = sub.qos;
        retainAsPublished[i] = sub.retainAsPublished;
        shared[i] = isShared;
        ids[i] = sub.ids;
        return i;
    }

    /** {@code current} plus the single id in {@code one}, unless already there. */
    private static int[] withId(int[] current, int[] one) {
        if (current.length == 0) {
            return one;
        }
        int id = one[0];
        for (int existing : current) {
            if (existing == id) {
                return current;
            }
        }
        int[] merged = Arrays.copyOf(current, current.length + 1);
        merged[current.length] = id;
        return merged;
    }

    private void grow() {
        int n = subscribers.length * 2;
        subscribers = Arrays.copyOf(subscribers, n);
        qos = Arrays.copyOf(qos, n);
        retainAsPublished = Arrays.copyOf(retainAsPublished, n);
        shared = Arrays.copyOf(shared, n);
        ids = Arrays.copyOf(ids, n);
    }

    private void check(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("delivery " + i + " of " + size);
        }
    }
}
