package io.jemq.api;

/** What a client wants to do with a topic. */
public enum Access {
    PUBLISH, SUBSCRIBE;

    /** EMQ's {@code %A}: 1 for subscribe, 2 for publish. */
    public int emqCode() {
        return this == SUBSCRIBE ? 1 : 2;
    }
}
