package io.jemq.routing;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * The exact-word children of a trie node: an open-addressing hash table that readers probe with a slice of the topic
 * ({@code topic[from, to)} and its hash), so routing never cuts a substring per level. Readers take no lock; writers
 * hold the router's lock.
 *
 * <p>Why it is safe without reader locks: a writer only ever turns a free slot into a node, or a node into the
 * tombstone, in the current table (never back to free), and always keeps free slots in it, so a probe ends and does
 * not skip a node that stays; growing or shrinking builds a new table and publishes it whole.
 */
final class Children {

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(TrieNode[].class);
    private static final TrieNode[] EMPTY = new TrieNode[0];
    private static final TrieNode TOMBSTONE = new TrieNode(null, "");
    private static final int MIN_CAPACITY = 4;

    private volatile TrieNode[] table = EMPTY;
    private int size;        // writers only
    private int tombstones;  // writers only

    /** The child whose word is {@code text[from, to)}, given that slice's {@code String.hashCode()}. */
    TrieNode get(String text, int from, int to, int hash) {
        TrieNode[] t = table;
        if (t.length == 0) {
            return null;
        }
        int mask = t.length - 1;
        for (int i = spread(hash) & mask; ; i = (i + 1) & mask) {
            TrieNode e = (TrieNode) SLOT.getAcquire(t, i);
            if (e == null) {
                return null;
            }
            if (e != TOMBSTONE && e.wordHash == hash && e.wordEquals(text, from, to)) {
                return e;
            }
        }
    }

    TrieNode get(String word) {
        return get(word, 0, word.length(), word.hashCode());
    }

    /** Writer: adds a child whose word is not present yet. */
    void add(TrieNode child) {
        if ((size + tombstones + 1) * 2 > table.length) {
            rehash(capacityFor(size + 1));
        }
        TrieNode[] t = table;
        int mask = t.length - 1;
        int i = spread(child.wordHash) & mask;
        while (true) {
            TrieNode e = t[i];
            if (e == null || e == TOMBSTONE) {
                if (e == TOMBSTONE) {
                    tombstones--;
                }
                SLOT.setRelease(t, i, child);
                size++;
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /** Writer: removes the child (by identity) if present. */
    void remove(TrieNode child) {
        TrieNode[] t = table;
        if (t.length == 0) {
            return;
        }
        int mask = t.length - 1;
        for (int i = spread(child.wordHash) & mask; t[i] != null; i = (i + 1) & mask) {
            if (t[i] == child) {
                SLOT.setRelease(t, i, TOMBSTONE);
                size--;
                tombstones++;
                if (size == 0) {
                    table = EMPTY;
                    tombstones = 0;
                } else if (size * 8 < t.length && t.length > MIN_CAPACITY) {
                    rehash(capacityFor(size));
                }
                return;
            }
        }
    }

    /** Writer side: each child. */
    void forEach(Consumer<TrieNode> each) {
        for (TrieNode e : table) {
            if (e != null && e != TOMBSTONE) {
                each.accept(e);
            }
        }
    }

    /** Writer-side view. */
    boolean isEmpty() {
        return size == 0;
    }

    /** Writer-side view: slots in the current table, to check it shrinks after churn. */
    int capacity() {
        return table.length;
    }

    private void rehash(int capacity) {
        TrieNode[] old = table;
        TrieNode[] t = new TrieNode[capacity];
        int mask = capacity - 1;
        for (TrieNode e : old) {
            if (e != null && e != TOMBSTONE) {
                int i = spread(e.wordHash) & mask;
                while (t[i] != null) {
                    i = (i + 1) & mask;
                }
                t[i] = e;
            }
        }
        tombstones = 0;
        table = t; // volatile write publishes the filled table
    }

    /** A power of two keeping the table at most half full, so probes stay short and free slots remain. */
    private static int capacityFor(int entries) {
        int needed = Math.max(MIN_CAPACITY, entries * 2 + 2);
        return Integer.highestOneBit(needed - 1) << 1;
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }
}
