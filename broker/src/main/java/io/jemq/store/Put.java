package io.jemq.store;

/**
 * What {@link RetainedStore#put} did.
 *
 * @param stored   false when the store is full and the topic was new, so the message was not kept
 * @param previous the value it replaced, for the caller to release; null if none (or not stored)
 */
public record Put<V>(boolean stored, V previous) {

    private static final Put<?> REJECTED = new Put<>(false, null);

    @SuppressWarnings("unchecked")
    public static <V> Put<V> rejected() {
        return (Put<V>) REJECTED;
    }

    public static <V> Put<V> stored(V previous) {
        return new Put<>(true, previous);
    }
}
