package io.jemq.routing;

/**
 * One level of the subscription trie: the subscriptions whose filter ends here and the next levels. Fields that
 * change are volatile and replaced whole (copy-on-write) under the router's lock, so readers never lock.
 */
final class TrieNode {

    final String word;
    /** {@code word.hashCode()}, the same hash {@link TopicTrie} computes over a level of a topic in place. */
    final int wordHash;
    final TrieNode parent;
    final Children children = new Children();
    volatile TrieNode plus;
    volatile TrieNode multi;
    volatile Subscription[] subscriptions = Subscription.NONE;
    volatile SharedGroup[] groups = SharedGroup.NONE;

    TrieNode(TrieNode parent, String word) {
        this.parent = parent;
        this.word = word;
        this.wordHash = word.hashCode();
    }

    /** Whether this node's word equals {@code text[from, to)}. */
    boolean wordEquals(String text, int from, int to) {
        int len = to - from;
        return word.length() == len && text.regionMatches(from, word, 0, len);
    }

    boolean hasSubscriptions() {
        return subscriptions.length > 0 || groups.length > 0;
    }

    /** Nothing ends here and nothing hangs below: the node can go. */
    boolean isEmpty() {
        return !hasSubscriptions() && plus == null && multi == null && children.isEmpty();
    }

    /** The group named {@code name} on this node, or null. */
    SharedGroup group(String name) {
        for (SharedGroup g : groups) {
            if (g.name.equals(name)) {
                return g;
            }
        }
        return null;
    }
}
