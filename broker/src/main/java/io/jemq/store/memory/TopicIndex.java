package io.jemq.store.memory;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The retained topic names as a trie of levels, so a filter such as {@code a/+/c} visits only what can match (only
 * {@code #} walks a whole subtree). Readers take no lock; {@link #add} and {@link #remove} need the store's lock.
 */
final class TopicIndex {

    private static final class Node {
        final Node parent;
        final String word;
        final ConcurrentHashMap<String, Node> children = new ConcurrentHashMap<>(2);
        /** The full topic name when a retained topic ends here, else null. */
        volatile String topic;

        Node(Node parent, String word) {
            this.parent = parent;
            this.word = word;
        }
    }

    /** One pending step of a walk: a node and the filter level to match below it. */
    private record Step(Node node, int level) {
    }

    private final Node root = new Node(null, "");
    private int nodeCount; // under the store's lock

    /** Writer. */
    void add(String topic) {
        Node node = root;
        int start = 0;
        while (true) {
            int end = levelEnd(topic, start);
            Node parent = node;
            node = parent.children.get(topic.substring(start, end));
            if (node == null) {
                node = new Node(parent, topic.substring(start, end));
                parent.children.put(node.word, node);
                nodeCount++;
            }
            if (end == topic.length()) {
                break;
            }
            start = end + 1;
        }
        node.topic = topic;
    }

    /** Writer: removes the topic and every node left with nothing. */
    void remove(String topic) {
        Node node = root;
        int start = 0;
        while (node != null) {
            int end = levelEnd(topic, start);
            node = node.children.get(topic.substring(start, end));
            if (end == topic.length()) {
                break;
            }
            start = end + 1;
        }
        if (node == null || node.topic == null) {
            return;
        }
        node.topic = null;
        while (node != root && node.topic == null && node.children.isEmpty()) {
            node.parent.children.remove(node.word, node);
            nodeCount--;
            node = node.parent;
        }
    }

    /** Writer-side view: the nodes below the root. */
    int nodeCount() {
        return nodeCount;
    }

    /** Calls {@code each} with every indexed topic that the (valid) filter matches, by MQTT rules. */
    void match(String filter, Consumer<String> each) {
        String[] levels = splitLevels(filter);
        ArrayDeque<Step> pending = new ArrayDeque<>();
        pending.push(new Step(root, 0));
        while (!pending.isEmpty()) {
            Step step = pending.pop();
            Node node = step.node();
            int level = step.level();
            if (level == levels.length) {
                emit(node, each);
                continue;
            }
            String word = levels[level];
            // MQTT 4.7.2: a leading wildcard does not match a $ topic
            boolean skipDollar = level == 0;
            if (word.equals("#")) {
                emit(node, each); // "a/#" matches "a" too
                for (Node child : node.children.values()) {
                    if (!(skipDollar && child.word.startsWith("$"))) {
                        emitSubtree(child, each);
                    }
                }
            } else if (word.equals("+")) {
                for (Node child : node.children.values()) {
                    if (!(skipDollar && child.word.startsWith("$"))) {
                        pending.push(new Step(child, level + 1));
                    }
                }
            } else {
                Node child = node.children.get(word);
                if (child != null) {
                    pending.push(new Step(child, level + 1));
                }
            }
        }
    }

    private static void emitSubtree(Node top, Consumer<String> each) {
        ArrayDeque<Node> pending = new ArrayDeque<>();
        pending.push(top);
        while (!pending.isEmpty()) {
            Node node = pending.pop();
            emit(node, each);
            for (Node child : node.children.values()) {
                pending.push(child);
            }
        }
    }

    private static void emit(Node node, Consumer<String> each) {
        String topic = node.topic;
        if (topic != null) {
            each.accept(topic);
        }
    }

    /** Splits on '/', keeping empty levels (unlike String.split, which drops trailing ones). */
    private static String[] splitLevels(String s) {
        int count = 1;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '/') {
                count++;
            }
        }
        String[] levels = new String[count];
        int start = 0;
        for (int k = 0; k < count; k++) {
            int end = levelEnd(s, start);
            levels[k] = s.substring(start, end);
            start = end + 1;
        }
        return levels;
    }

    private static int levelEnd(String s, int from) {
        int slash = s.indexOf('/', from);
        return slash < 0 ? s.length() : slash;
    }
}
