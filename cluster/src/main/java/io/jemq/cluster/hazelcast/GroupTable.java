package io.jemq.cluster.hazelcast;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.EntryListener;
import com.hazelcast.map.MapEvent;
import com.hazelcast.replicatedmap.ReplicatedMap;
import io.jemq.routing.Topics;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The share groups of the cluster: {@code node NUL group NUL filter} keys in a Hazelcast {@link ReplicatedMap}, and
 * the choice of the one node whose member takes each message of a group. The node where a message is published
 * chooses, at random among the nodes with members (this one included, each node weighing the same): when it chooses
 * itself its router picks a local member as it would alone; otherwise the message goes to the chosen node with the
 * group named in the frame, and only there is the group served. A node receiving a forwarded message serves only the
 * groups named for it.
 *
 * <p>Threads: {@link #servesHere} and {@link #designations} on the routing thread, one message at a time (thread-local
 * state, cleared by {@link #designations}); table events on Hazelcast's threads, guarded by this object's monitor; the
 * matching reads an immutable snapshot.
 */
final class GroupTable implements EntryListener<String, String> {
    static final String MAP = "jemq.groups";
    private static final char SEP = '\u0000';
    private static final FastThreadLocal<Choice> CHOICE = new FastThreadLocal<>() {
        @Override
        protected Choice initialValue() {
            return new Choice();
        }
    };

    /** One group of one filter, and the other nodes that have members of it. */
    record RemoteGroup(String filter, String group, String[] nodes) {
    }

    private final String me;
    private final ReplicatedMap<String, String> map;
    private final ExecutorService writer;
    private final Map<String, Set<String>> nodesByGroup = new HashMap<>();
    private final Set<String> live = new HashSet<>();
    private volatile RemoteGroup[] groups = new RemoteGroup[0];
    private UUID listener;

    GroupTable(String me, ReplicatedMap<String, String> map, ExecutorService writer) {
        this.me = me;
        this.map = map;
        this.writer = writer;
    }

    /** Listens; what the other nodes have is counted once they are members ({@link #nodeUp}). */
    void listen() {
        listener = map.addEntryListener(this);
    }

    /** Replaces what this node left in the table before with the groups it has now ({@code {filter, group}}). */
    void publish(List<String[]> local) {
        writer.execute(() -> {
            map.keySet().stream().filter(k -> k.startsWith(me + SEP)).forEach(map::remove);
            local.forEach(fg -> map.put(key(me, fg[0], fg[1]), me));
        });
    }

    void stop() {
        if (listener != null) {
            map.removeEntryListener(listener);
        }
    }

    void added(String filter, String group) {
        writer.execute(() -> map.put(key(me, filter, group), me));
    }

    void removed(String filter, String group) {
        writer.execute(() -> map.remove(key(me, filter, group)));
    }

    /** Asked by the local router for a group with members here. */
    boolean servesHere(String filter, String group) {
        Choice c = CHOICE.get();
        if (c.fromPeer) {
            return c.named.contains(groupKey(filter, group));
        }
        for (RemoteGroup g : groups) {
            if (g.filter.equals(filter) && g.group.equals(group)) {
                int pick = ThreadLocalRandom.current().nextInt(g.nodes.length + 1);
                String chosen = pick == g.nodes.length ? null : g.nodes[pick];
                c.decided.put(groupKey(filter, group), chosen == null ? me : chosen);
                return chosen == null;
            }
        }
        return true;
    }

    /**
     * The groups of other nodes that take a message on {@code topic}, by node: the choices {@link #servesHere} made
     * for groups with members here, a random node for the others. Clears this thread's choices.
     *
     * @return null when no other node serves a group of this message (the common case: nothing allocated)
     */
    Map<String, List<String[]>> designations(String topic) {
        Choice c = CHOICE.get();
        RemoteGroup[] all = groups;
        Map<String, List<String[]>> out = null;
        for (RemoteGroup g : all) {
            if (!Topics.matches(g.filter, topic)) {
                continue;
            }
            String decided = c.decided.get(groupKey(g.filter, g.group));
            String node = decided != null ? decided : g.nodes[ThreadLocalRandom.current().nextInt(g.nodes.length)];
            if (node.equals(me)) {
                continue;
            }
            if (out == null) {
                out = new HashMap<>();
            }
            out.computeIfAbsent(node, n -> new ArrayList<>()).add(new String[] {g.filter, g.group});
        }
        if (!c.decided.isEmpty()) {
            c.decided.clear();
        }
        return out;
    }

    /** Routes a message a peer sent: only the groups it named are served here. */
    /** Whether the calling thread is routing a message another node forwarded (inside {@link #asPeer}). */
    static boolean routingForPeer() {
        return CHOICE.get().fromPeer;
    }

    static void asPeer(List<String[]> named, Runnable route) {
        Choice c = CHOICE.get();
        c.fromPeer = true;
        for (String[] fg : named) {
            c.named.add(groupKey(fg[0], fg[1]));
        }
        try {
            route.run();
        } finally {
            c.fromPeer = false;
            c.named.clear();
        }
    }

    synchronized void nodeUp(String node) {
        live.add(node);
        for (String k : map.keySet()) {
            if (k.startsWith(node + SEP)) {
                change(k, true);
            }
        }
    }

    synchronized void nodeDown(String node, boolean oldest) {
        live.remove(node);
        nodesByGroup.values().forEach(nodes -> nodes.remove(node));
        nodesByGroup.values().removeIf(Set::isEmpty);
        snapshot();
        if (oldest) {
            writer.execute(() -> map.keySet().stream().filter(k -> k.startsWith(node + SEP)).forEach(map::remove));
        }
    }

    /** {@code group filter: nodes} per group other nodes have members of, for {@code cluster status}. */
    List<String> describe() {
        List<String> out = new ArrayList<>();
        for (RemoteGroup g : groups) {
            out.add(g.group + " " + g.filter + ": " + String.join(", ", new TreeSet<>(List.of(g.nodes))));
        }
        out.sort(null);
        return out;
    }

    private synchronized void change(String key, boolean add) {
        String[] parts = key.split(String.valueOf(SEP), 3);
        String node = parts[0];
        if (node.equals(me) || (add && !live.contains(node))) {
            return;
        }
        String gk = groupKey(parts[2], parts[1]);
        boolean changed = add ? nodesByGroup.computeIfAbsent(gk, k -> new HashSet<>()).add(node)
                : nodesByGroup.getOrDefault(gk, new HashSet<>()).remove(node);
        if (changed) {
            nodesByGroup.values().removeIf(Set::isEmpty);
            snapshot();
        }
    }

    private void snapshot() {
        List<RemoteGroup> all = new ArrayList<>();
        nodesByGroup.forEach((gk, nodes) -> {
            int sep = gk.indexOf(SEP);
            all.add(new RemoteGroup(gk.substring(0, sep), gk.substring(sep + 1), nodes.toArray(String[]::new)));
        });
        groups = all.toArray(RemoteGroup[]::new);
    }

    private static String key(String node, String filter, String group) {
        return node + SEP + group + SEP + filter;
    }

    private static String groupKey(String filter, String group) {
        return filter + SEP + group;
    }

    @Override
    public void entryAdded(EntryEvent<String, String> event) {
        change(event.getKey(), true);
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> event) {
        change(event.getKey(), true);
    }

    @Override
    public void entryRemoved(EntryEvent<String, String> event) {
        change(event.getKey(), false);
    }

    @Override
    public void entryEvicted(EntryEvent<String, String> event) {
        change(event.getKey(), false);
    }

    @Override
    public void entryExpired(EntryEvent<String, String> event) {
        change(event.getKey(), false);
    }

    @Override
    public void mapCleared(MapEvent event) {
    }

    @Override
    public void mapEvicted(MapEvent event) {
    }

    /** One routing thread's choices for the message it routes now. */
    private static final class Choice {
        final Map<String, String> decided = new HashMap<>();
        final Set<String> named = new HashSet<>();
        boolean fromPeer;
    }
}
