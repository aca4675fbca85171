package io.jemq.routing;

import io.jemq.cluster.ClusterRoutes;
import io.jemq.sys.Counters;
import io.jemq.sys.Stat;
import io.jemq.config.SharedStrategy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The subscription table: which subscribers get a message published to a topic. {@link #route} is the hot path,
 * called for every PUBLISH from any event loop: it takes no lock and allocates nothing once the caller's
 * {@link Deliveries} has grown. {@link #subscribe} and {@link #unsubscribe} are rare and serialised by one lock; a
 * route running at the same time sees the table either before or after each change. A filter's first subscriber
 * and its last one are told to the {@link ClusterRoutes} (under the lock, so in order).
 */
public final class Router {

    private final SharedStrategy strategy;
    private final ClusterRoutes clusterRoutes;
    private final Counters counters;
    private final TopicTrie trie = new TopicTrie();
    private final ReentrantLock lock = new ReentrantLock();
    // written under the lock, read anywhere
    private volatile int subscriptionCount;
    private volatile int topicCount;
    // written under the lock after the trie changed, read by every route before it matches
    private volatile long removals;

    /** A router of one node alone, whose stats nobody reads (tests, tools). */
    public Router(SharedStrategy strategy) {
        this(strategy, ClusterRoutes.SINGLE_NODE, new Counters());
    }

    /** @param counters told each new subscription and topic count, so that their maximum catches every peak */
    public Router(SharedStrategy strategy, ClusterRoutes clusterRoutes, Counters counters) {
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        this.clusterRoutes = Objects.requireNonNull(clusterRoutes, "clusterRoutes");
        this.counters = Objects.requireNonNull(counters, "counters");
    }

    /**
     * Adds or replaces {@code s}'s subscription to {@code f}.
     *
     * @return true if new, false if it replaced the same subscriber's subscription to the same filter and group
     */
    public boolean subscribe(Subscriber s, TopicFilter f, SubOptions o) {
        Objects.requireNonNull(s, "subscriber");
        Objects.requireNonNull(o, "options");
        if (!Topics.isValidFilter(f.filter(), 0)) {
            throw new IllegalArgumentException("bad topic filter: " + f.filter());
        }
        Subscription sub = new Subscription(s, o);
        lock.lock();
        try {
            TrieNode node = trie.nodeFor(f.filter());
            boolean hadSubscriptions = node.hasSubscriptions();
            boolean added = f.shared() ? addShared(node, f, sub) : addPlain(node, sub);
            if (added) {
                subscriptionCount++;
            }
            if (!hadSubscriptions) {
                topicCount++;
                clusterRoutes.routeAdded(f.filter());
            }
            observeCounts();
            return added;
        } finally {
            lock.unlock();
        }
    }

    private void observeCounts() {
        counters.observe(Stat.SUBSCRIPTIONS, subscriptionCount);
        counters.observe(Stat.SUBSCRIBERS, subscriptionCount);
        counters.observe(Stat.TOPICS, topicCount);
        counters.observe(Stat.ROUTES, topicCount);
    }

    /** @return true if {@code s} had this subscription */
    public boolean unsubscribe(Subscriber s, TopicFilter f) {
        lock.lock();
        try {
            TrieNode node = trie.find(f.filter());
            if (node == null) {
                return false;
            }
            boolean removed = f.shared() ? removeShared(node, f, s) : removePlain(node, s);
            if (removed) {
                removals++;
                subscriptionCount--;
                if (!node.hasSubscriptions()) {
                    topicCount--;
                    clusterRoutes.routeRemoved(f.filter());
                }
                trie.prune(node);
            }
            return removed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * How many subscriptions have been removed so far. A route that read a lower count before matching may have
     * matched a subscription removed meanwhile; one that read this count or a higher one matched after the removal.
     */
    public long removals() {
        return removals;
    }

    /**
     * Appends to {@code out} one entry per delivery of a message published to {@code topic}: one per subscriber with
     * matching non-shared subscriptions (merged: highest QoS, any Retain As Published, all subscription ids; No Local
     * ones skipped when {@code publisherClientId} is the subscriber's) and one per matching share group (one member,
     * chosen by the strategy). {@code publisherClientId} may be null for messages the broker makes itself.
     */
    public void route(String topic, String publisherClientId, Deliveries out) {
        RouteScratch s = out.scratch;
        trie.match(topic, s);
        out.beginRoute();
        try {
            for (int n = 0; n < s.matchedCount; n++) {
                TrieNode node = s.matched[n];
                for (Subscription sub : node.subscriptions) {
                    if (sub.noLocal && publisherClientId != null
                            && publisherClientId.equals(sub.subscriber.clientId())) {
                        continue;
                    }
                    out.merge(sub);
                }
                for (SharedGroup group : node.groups) {
                    if (!clusterRoutes.servesGroupHere(group.filter, group.name)) {
                        continue;                       // another node's member takes this message
                    }
                    Subscription member = group.pick(strategy, publisherClientId);
                    if (member != null) {
                        out.addShared(member);
                    }
                }
            }
        } finally {
            out.endRoute();
            s.clearMatches();
        }
    }

    /** All (subscriber, filter) pairs, shared ones included. */
    public int subscriptionCount() {
        return subscriptionCount;
    }

    /** Distinct filters with at least one subscriber, shared or not. */
    public int topicCount() {
        return topicCount;
    }

    /**
     * Every filter with subscribers and how many (a share group counts each member), for management listings. Takes
     * the lock: a consistent picture, paid for by the caller, never by routing.
     */
    public List<RouteSnapshot> routes() {
        lock.lock();
        try {
            List<RouteSnapshot> routes = new ArrayList<>(topicCount);
            trie.forEachSubscribed((filter, node) -> {
                int n = node.subscriptions.length;
                for (SharedGroup g : node.groups) {
                    n += g.members.length;
                }
                routes.add(new RouteSnapshot(filter, n));
            });
            return routes;
        } finally {
            lock.unlock();
        }
    }

    /** Every share group with members here, as {@code TopicFilter(filter, group)}: what a joining node tells. */
    public List<TopicFilter> sharedGroups() {
        lock.lock();
        try {
            List<TopicFilter> groups = new ArrayList<>();
            trie.forEachSubscribed((filter, node) -> {
                for (SharedGroup g : node.groups) {
                    groups.add(new TopicFilter(g.filter, g.name));
                }
            });
            return groups;
        } finally {
            lock.unlock();
        }
    }

    /** Trie nodes in use, to check that unsubscribing gives memory back. */
    int nodeCount() {
        lock.lock();
        try {
            return trie.nodeCount();
        } finally {
            lock.unlock();
        }
    }

    /** Slots of the root's child table, to check that it shrinks after churn. */
    int rootCapacity() {
        lock.lock();
        try {
            return trie.rootChildren().capacity();
        } finally {
            lock.unlock();
        }
    }

    private static boolean addPlain(TrieNode node, Subscription sub) {
        Subscription[] subs = node.subscriptions;
        int i = Subscription.indexOf(subs, sub.subscriber);
        if (i < 0) {
            node.subscriptions = Subscription.append(subs, sub);
            return true;
        }
        node.subscriptions = Subscription.replace(subs, i, sub);
        subs[i].active = false;
        return false;
    }

    private static boolean removePlain(TrieNode node, Subscriber s) {
        Subscription[] subs = node.subscriptions;
        int i = Subscription.indexOf(subs, s);
        if (i < 0) {
            return false;
        }
        node.subscriptions = Subscription.remove(subs, i);
        subs[i].active = false;
        return true;
    }

    /** Under the lock; a new group is told to the cluster, which chooses the node serving each message. */
    private boolean addShared(TrieNode node, TopicFilter f, Subscription sub) {
        String name = f.shareGroup();
        SharedGroup group = node.group(name);
        if (group == null) {
            clusterRoutes.groupAdded(f.filter(), name);
            group = new SharedGroup(name, f.filter());
            group.add(sub);
            SharedGroup[] groups = node.groups;
            SharedGroup[] copy = Arrays.copyOf(groups, groups.length + 1);
            copy[groups.length] = group;
            node.groups = copy; // published with its first member already in
            return true;
        }
        return group.add(sub);
    }

    private boolean removeShared(TrieNode node, TopicFilter f, Subscriber s) {
        String name = f.shareGroup();
        SharedGroup group = node.group(name);
        if (group == null || !group.remove(s)) {
            return false;
        }
        if (group.isEmpty()) {
            SharedGroup[] groups = node.groups;
            SharedGroup[] copy = new SharedGroup[groups.length - 1];
            int k = 0;
            for (SharedGroup g : groups) {
                if (g != group) {
                    copy[k++] = g;
                }
            }
            node.groups = copy.length == 0 ? SharedGroup.NONE : copy;
            clusterRoutes.groupRemoved(f.filter(), name);
        }
        return true;
    }
}
