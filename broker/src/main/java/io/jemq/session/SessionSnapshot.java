package io.jemq.session;

/**
 * One session as management shows it, taken on the session's owner loop (see {@link SessionsView}): a copy, true
 * at the moment it was taken.
 *
 * @param clean          whether the session ends with its connection (expiry 0) rather than being kept
 * @param expirySeconds  how long it is kept offline; 0xFFFFFFFF = for ever
 * @param connected      whether a connection is attached
 * @param inflight       QoS 1/2 deliveries awaiting the client's acknowledgement
 * @param queued         messages waiting for the client
 * @param dropped        messages dropped from its queue so far
 * @param delivered      messages written to the client so far
 * @param awaitingRel    inbound QoS 2 messages awaiting the client's PUBREL
 */
public record SessionSnapshot(String clientId, boolean clean, long expirySeconds, long createdAtMillis,
                              boolean connected, int subscriptions, int inflight, int queued, long dropped,
                              long delivered, int awaitingRel) {
}
