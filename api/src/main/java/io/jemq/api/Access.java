package io.jemq.api;

/**
 * What a client wants to do with a topic, as the broker asks an {@link Authorizer} (and as {@code %A} fills in).
 */
public enum Access {
    /** Send a PUBLISH to the topic; a will is checked as a publish too. */
    PUBLISH,
    /** SUBSCRIBE to the filter. */
    SUBSCRIBE;

    /** EMQ's {@code %A}: 1 for subscribe, 2 for publish. */
    public int emqCode() {
        return this == SUBSCRIBE ? 1 : 2;
    }
}
