package io.jemq.routing;

import java.util.ArrayDeque;
import java.util.function.BiConsumer;

/**
 * The trie of subscribed filters, one node per level, with {@code +} and {@code #} as their own children. Matching
 * runs on any thread without locks; {@link #nodeFor}, {@link #find} for writing and {@link #prune} need the router's
 * lock.
 */
final class TopicTrie {

    private final TrieNode root = new TrieNode(null, "");
    private int nodeCount; // under the router's lock

    /** Writer: the node for {@code filter}, creating the missing levels. */
    TrieNode nodeFor(String filter) {
        TrieNode node = root;
        int start = 0;
        while (true) {
            int end = filter.indexOf('/', start);
            if (end < 0) {
                end = filter.length();
            }
            node = child(node, filter.substring(start, end));
            if (end == filter.length()) {
                return node;
            }
            start = end + 1;
        }
    }

    /** The node for {@code filter}, or null if no subscription made it. */
    TrieNode find(String filter) {
        TrieNode node = root;
        int start = 0;
        while (node != null) {
            int end = filter.indexOf('/', start);
            if (end < 0) {
                end = filter.length();
            }
            if (end - start == 1 && filter.charAt(start) == '+') {
                node = node.plus;
            } else if (end - start == 1 && filter.charAt(start) == '#') {
                node = node.multi;
            } else {
                node = node.children.get(filter.substring(start, end));
            }
            if (end == filter.length()) {
                return node;
            }
            start = end + 1;
        }
        return null;
    }

    /** Writer: detaches {@code node} and then each ancestor left with nothing, so churn leaves no garbage behind. */
    void prune(TrieNode node) {
        while (node != root && node.isEmpty()) {
            TrieNode parent = node.parent;
            if (parent.plus == node) {
                parent.plus = null;
            } else if (parent.multi == node) {
                parent.multi = null;
            } else {
                parent.children.remove(node);
            }
            nodeCount--;
            node = parent;
        }
    }

    /**
     * Writer side (under the router's lock): calls {@code each} with the filter and node of every node that has
     * subscriptions. Iterative: a filter may have thousands of levels.
     */
    void forEachSubscribed(BiConsumer<String, TrieNode> each) {
        ArrayDeque<TrieNode> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            TrieNode node = stack.pop();
            if (node != root && node.hasSubscriptions()) {
                each.accept(filterOf(node), node);
            }
            if (node.plus != null) {
                stack.push(node.plus);
            }
            if (node.multi != null) {
                stack.push(node.multi);
            }
            node.children.forEach(stack::push);
        }
    }

    private static String filterOf(TrieNode node) {
        ArrayDeque<String> words = new ArrayDeque<>();
        for (TrieNode n = node; n.parent != null; n = n.parent) {
            words.push(n.word);
        }
        return String.join("/", words);
    }

    /** Writer-side view: the nodes below the root. */
    int nodeCount() {
        return nodeCount;
    }

    /** Exact-word children of the root, for tests of table shrinking. */
    Children rootChildren() {
        return root.children;
    }

    /**
     * Collects into {@code s.matched} every node whose filter matches {@code topic}. Iterative rather than recursive:
     * a topic may have thousands of levels.
     */
    void match(String topic, RouteScratch s) {
        s.splitLevels(topic);
        int levels = s.levels;
        boolean dollar = Topics.isSys(topic);
        s.stackSize = 0;
        s.push(root, 0);
        while (s.stackSize > 0) {
            int top = --s.stackSize;
            TrieNode node = s.stackNodes[top];
            int level = s.stackLevels[top];
            s.stackNodes[top] = null;
            // MQTT 4.7.2: a leading wildcard does not match a $ topic
            boolean wildcards = !(dollar && level == 0);
            TrieNode multi = node.multi;
            if (multi != null && wildcards) {
                s.addMatch(multi); // '#' also matches the parent level itself: "a/#" matches "a"
            }
            if (level == levels) {
                s.addMatch(node);
                continue;
            }
            TrieNode plus = node.plus;
            if (plus != null && wildcards) {
                s.push(plus, level + 1);
            }
            TrieNode child = node.children.get(topic, s.levelStart[level], s.levelEnd[level], s.levelHash[level]);
            if (child != null) {
                s.push(child, level + 1);
            }
        }
    }

    private TrieNode child(TrieNode node, String word) {
        if (word.equals("+")) {
            TrieNode plus = node.plus;
            if (plus == null) {
                plus = new TrieNode(node, word);
                node.plus = plus;
                nodeCount++;
            }
            return plus;
        }
        if (word.equals("#")) {
            TrieNode multi = node.multi;
            if (multi == null) {
                multi = new TrieNode(node, word);
                node.multi = multi;
                nodeCount++;
            }
            return multi;
        }
        TrieNode child = node.children.get(word);
        if (child == null) {
            child = new TrieNode(node, word);
            node.children.add(child);
            nodeCount++;
        }
        return child;
    }
}
