package io.jemq.routing;

import java.util.Arrays;

/**
 * Working memory of one routing thread, kept in its {@link Deliveries} so that matching a topic allocates nothing once
 * the arrays have grown to the thread's largest topic: the topic's levels, the walk's stack, the matched nodes.
 */
final class RouteScratch {

    // level i of the topic is topic[levelStart[i], levelEnd[i]) with String.hashCode() levelHash[i]
    int levels;
    int[] levelStart = new int[16];
    int[] levelEnd = new int[16];
    int[] levelHash = new int[16];

    // the walk's pending (node, next level) pairs
    int stackSize;
    TrieNode[] stackNodes = new TrieNode[16];
    int[] stackLevels = new int[16];

    int matchedCount;
    TrieNode[] matched = new TrieNode[16];

    /** Splits {@code topic} into levels in one pass, hashing each as it goes. */
    void splitLevels(String topic) {
        int n = topic.length();
        int count = 0;
        int start = 0;
        int hash = 0;
        for (int i = 0; i <= n; i++) {
            char c = i < n ? topic.charAt(i) : '/';
            if (c == '/') {
                if (count == levelStart.length) {
                    growLevels();
                }
                levelStart[count] = start;
                levelEnd[count] = i;
                levelHash[count] = hash;
                count++;
                start = i + 1;
                hash = 0;
            } else {
                hash = 31 * hash + c;
            }
        }
        levels = count;
    }

    void push(TrieNode node, int level) {
        if (stackSize == stackNodes.length) {
            stackNodes = Arrays.copyOf(stackNodes, stackSize * 2);
            stackLevels = Arrays.copyOf(stackLevels, stackSize * 2);
        }
        stackNodes[stackSize] = node;
        stackLevels[stackSize] = level;
        stackSize++;
    }

    void addMatch(TrieNode node) {
        if (matchedCount == matched.length) {
            matched = Arrays.copyOf(matched, matchedCount * 2);
        }
        matched[matchedCount++] = node;
    }

    /** Drops node references so a thread's scratch does not keep removed parts of the trie alive. */
    void clearMatches() {
        Arrays.fill(matched, 0, matchedCount, null);
        matchedCount = 0;
    }

    private void growLevels() {
        int n = levelStart.length * 2;
        levelStart = Arrays.copyOf(levelStart, n);
        levelEnd = Arrays.copyOf(levelEnd, n);
        levelHash = Arrays.copyOf(levelHash, n);
    }
}
