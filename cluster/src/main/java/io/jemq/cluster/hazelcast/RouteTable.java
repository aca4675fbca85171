package io.jemq.cluster.hazelcast;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.MapEvent;
import com.hazelcast.replicatedmap.ReplicatedMap;
import io.jemq.cluster.Accepted;
import io.jemq.cluster.ClusterRoutes;
import io.jemq.config.SharedStrategy;
import io.jemq.flow.Backpressure;
import io.jemq.message.Message;
import io.jemq.routing.Deliveries;
import io.jemq.routing.RouteSnapshot;
import io.jemq.routing.Router;
import io.jemq.routing.SubOptions;
import io.jemq.routing.Subscriber;
import io.jemq.routing.TopicFilter;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;

/**
 * The cluster-wide route table: {@code node NUL filter} keys in a Hazelcast {@link ReplicatedMap} (every member holds
 * all of it), mirrored into a local {@link Router} whose subscribers are the other nodes, so a publish matches its
 * topic against the other nodes' filters locally and never asks the cluster. Each matching node gets one copy on its
 * {@link PeerLink}; a retained message goes to every node, so each one serves the retained messages.
 *
 * <p>Threads: {@link #routeAdded}/{@link #routeRemoved} under the router's lock: they only queue the map write on the
 * tables' single thread (in order). {@link #forward} on the publisher's loop: no lock, no wait. Entry and membership
 * events on Hazelcast's event threads, serialised here by this object's monitor.
 */
final class RouteTable implements ClusterRoutes, com.hazelcast.core.EntryListener<String, String> {
    static final String MAP = "jemq.routes";
    private static final char SEP = '\u0000';
    private static final SubOptions ANY = new SubOptions(2, false, true, 0, 0);
    private static final FastThreadLocal<Deliveries> DELIVERIES = new FastThreadLocal<>() {
        @Override
        protected Deliveries initialValue() {
            return new Deliveries();
        }
    };

    private final String me;
    private final ReplicatedMap<String, String> map;
    private final PeerLinks links;
    private final ExecutorService writer;
    private final GroupTable groups;
    private final Router cache = new Router(SharedStrategy.RANDOM);
    /** Guarded by this: the filters each other node has, and the nodes that are members now. */
    private final Map<String, Set<String>> byNode = new HashMap<>();
    private final Map<String, RemoteNode> nodes = new HashMap<>();
    private final Set<String> live = new HashSet<>();
    private UUID listener;
    private volatile int remoteRoutes;

    RouteTable(String me, ReplicatedMap<String, String> map, PeerLinks links, ExecutorService writer,
               GroupTable groups) {
        this.me = me;
        this.groups = groups;
        this.map = map;
        this.links = links;
        this.writer = writer;
    }

    /** Listens, and loads what the other nodes have (counted once they are members). */
    void listen() {
        listener = map.addEntryListener(this);
        for (Map.Entry<String, String> e : map.entrySet()) {
            entryAdded(e.getKey());
        }
    }

    /** Replaces what this node left in the table before with the routes it has now. */
    void publish(List<RouteSnapshot> local) {
        writer.execute(() -> {
            map.keySet().stream().filter(k -> k.startsWith(me + SEP)).forEach(map::remove);
            local.forEach(r -> map.put(key(me, r.filter()), me));
        });
    }

    void stop() {
        if (listener != null) {
            map.removeEntryListener(listener);
        }
    }

    @Override
    public void routeAdded(String filter) {
        writer.execute(() -> map.put(key(me, filter), me));
    }

    @Override
    public void routeRemoved(String filter) {
        writer.execute(() -> map.remove(key(me, filter)));
    }

    @Override
    public void groupAdded(String filter, String group) {
        groups.added(filter, group);
    }

    @Override
    public void groupRemoved(String filter, String group) {
        groups.removed(filter, group);
    }

    @Override
    public boolean servesGroupHere(String filter, String group) {
        return groups.servesHere(filter, group);
    }

    @Override
    public void beginUnit() {
        PublishAcceptance.begin();
    }

    @Override
    public Accepted endUnit() {
        return PublishAcceptance.end();
    }

    @Override
    public int forward(Message message, Backpressure backpressure) {
        Map<String, List<String[]>> named = groups.designations(message.topic());
        Backpressure toTell = backpressure;
        if (message.isRetain()) {
            int n = 0;
            for (PeerLink link : links.all()) {
                toTell = send(link, message, named(named, link.node()), toTell);
                n++;
            }
            return n;
        }
        if (remoteRoutes == 0 && named == null) {
            return 0;
        }
        Deliveries out = DELIVERIES.get();
        out.clear();
        cache.route(message.topic(), null, out);
        int n = out.size();
        for (int i = 0; i < n; i++) {
            PeerLink link = links.link(out.subscriber(i).clientId());
            if (link != null) {
                toTell = send(link, message, named(named, link.node()), toTell);
            }
        }
        out.clear();
        if (named != null) {
            // groups of nodes whose plain route has not reached this node yet
            for (Map.Entry<String, List<String[]>> e : named.entrySet()) {
                PeerLink link = links.link(e.getKey());
                if (link != null) {
                    toTell = send(link, message, e.getValue(), toTell);
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * A QoS 1/2 message sent in a publisher's unit: its acknowledgement waits for the node to accept it. A link that
     * is behind tells the publisher's backpressure (once per message).
     *
     * @return the backpressure still to tell: null once told
     */
    private static Backpressure send(PeerLink link, Message message, List<String[]> groups, Backpressure backpressure) {
        link.send(message, groups, message.qos() > 0 ? PublishAcceptance.current() : null);
        if (backpressure != null && link.congestion().isCongested()) {
            backpressure.congested(link.congestion());
            return null;
        }
        return backpressure;
    }

    /** The groups chosen for {@code node}, taken out of {@code named}. */
    private static List<String[]> named(Map<String, List<String[]>> named, String node) {
        List<String[]> mine = named == null ? null : named.remove(node);
        return mine == null ? List.of() : mine;
    }

    /** A node became a member: its entries, already in the map or arriving later, count from now on. */
    synchronized void nodeUp(String node) {
        live.add(node);
        for (String k : map.keySet()) {
            if (k.startsWith(node + SEP)) {
                add(node, k.substring(node.length() + 1));
            }
        }
    }

    /**
     * A node left or died: its routes leave the cache at once; the oldest member also deletes them from the table.
     */
    synchronized void nodeDown(String node, boolean oldest) {
        live.remove(node);
        Set<String> filters = byNode.remove(node);
        RemoteNode target = nodes.remove(node);
        if (filters != null && target != null) {
            for (String f : filters) {
                cache.unsubscribe(target, new TopicFilter(f, null));
            }
            remoteRoutes -= filters.size();
        }
        if (oldest) {
            dropEntriesOf(node);
        }
    }

    /** Deletes what a node that is not a member any more left in the table ({@code cluster force-leave}). */
    void dropEntriesOf(String node) {
        writer.execute(() -> {
            synchronized (this) {
                if (live.contains(node)) {
                    return;
                }
            }
            map.keySet().stream().filter(k -> k.startsWith(node + SEP)).forEach(map::remove);
        });
    }

    /** Whether this node's cache has a route of {@code node} matching {@code topic} (a moving client's check). */
    boolean reaches(String node, String topic) {
        Deliveries out = DELIVERIES.get();
        out.clear();
        cache.route(topic, null, out);
        boolean found = false;
        for (int i = 0, n = out.size(); i < n && !found; i++) {
            found = out.subscriber(i).clientId().equals(node);
        }
        out.clear();
        return found;
    }

    /** Whether this node's cache has every one of {@code filters} as a route of {@code node}. */
    synchronized boolean hasRoutes(String node, List<String> filters) {
        Set<String> known = byNode.get(node);
        return filters.isEmpty() || known != null && known.containsAll(filters);
    }

    /** How many filters each node has, this one included, for {@code cluster status}. */
    synchronized Map<String, Integer> routeCounts(int localCount) {
        Map<String, Integer> counts = new TreeMap<>();
        counts.put(me, localCount);
        byNode.forEach((n, f) -> counts.put(n, f.size()));
        return counts;
    }

    private synchronized void add(String node, String filter) {
        if (node.equals(me) || !live.contains(node)) {
            return;
        }
        if (byNode.computeIfAbsent(node, n -> new HashSet<>()).add(filter)) {
            cache.subscribe(nodes.computeIfAbsent(node, RemoteNode::new), new TopicFilter(filter, null), ANY);
            remoteRoutes++;
        }
    }

    private synchronized void remove(String node, String filter) {
        Set<String> filters = byNode.get(node);
        if (filters != null && filters.remove(filter)) {
            cache.unsubscribe(nodes.get(node), new TopicFilter(filter, null));
            remoteRoutes--;
        }
    }

    private void entryAdded(String key) {
        int sep = key.indexOf(SEP);
        add(key.substring(0, sep), key.substring(sep + 1));
    }

    static String key(String node, String filter) {
        return node + SEP + filter;
    }

    @Override
    public void entryAdded(EntryEvent<String, String> event) {
        entryAdded(event.getKey());
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> event) {
        entryAdded(event.getKey());
    }

    @Override
    public void entryRemoved(EntryEvent<String, String> event) {
        String key = event.getKey();
        int sep = key.indexOf(SEP);
        remove(key.substring(0, sep), key.substring(sep + 1));
    }

    @Override
    public void entryEvicted(EntryEvent<String, String> event) {
        entryRemoved(event);
    }

    @Override
    public void entryExpired(EntryEvent<String, String> event) {
        entryRemoved(event);
    }

    @Override
    public void mapCleared(MapEvent event) {
    }

    @Override
    public void mapEvicted(MapEvent event) {
    }

    /** The route cache's subscriber standing for one other node (the router compares subscribers by identity). */
    private record RemoteNode(String clientId) implements Subscriber {
        @Override
        public void deliver(Message message, int qos, boolean retainFlag, int[] subscriptionIds, long routedAt) {
            message.release();          // never called: forward() only matches, then sends on the node's link
        }
    }
}
