package io.jemq.routing;

import java.util.Arrays;

/**
 * Subscriber → entry index by identity, for merging one message's deliveries when a topic has many subscribers (a
 * linear scan is cheaper below that). Open addressing without boxing; {@link #reset} forgets exactly the slots used.
 */
final class SubscriberIndex {

    private Object[] keys = new Object[64];
    private int[] values = new int[64];
    private int[] used = new int[32];
    private int count;

    /** The entry stored for {@code key}, or -1. */
    int get(Object key) {
        int mask = keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            Object k = keys[i];
            if (k == key) {
                return values[i];
            }
            if (k == null) {
                return -1;
            }
        }
    }

    /** Stores a key that is not present yet. */
    void put(Object key, int value) {
        if ((count + 1) * 2 > keys.length) {
            grow();
        }
        insert(key, value);
    }

    /** Forgets everything, dropping the references so no subscriber is kept alive by a thread's index. */
    void reset() {
        for (int k = 0; k < count; k++) {
            keys[used[k]] = null;
        }
        count = 0;
    }

    private void insert(Object key, int value) {
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (keys[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
        if (count == used.length) {
            used = Arrays.copyOf(used, count * 2);
        }
        used[count++] = i;
    }

    private void grow() {
        Object[] oldKeys = keys;
        int[] oldValues = values;
        int[] oldUsed = used;
        int oldCount = count;
        keys = new Object[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        used = new int[oldKeys.length];
        count = 0;
        for (int k = 0; k < oldCount; k++) {
            insert(oldKeys[oldUsed[k]], oldValues[oldUsed[k]]);
        }
    }

    private static int slot(Object key, int mask) {
        int h = System.identityHashCode(key);
        return (h ^ (h >>> 16)) & mask;
    }
}
