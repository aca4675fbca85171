package io.jemq.session;

/**
 * A session's message figures for management and tests: what is in flight to its client, what waits in its queue,
 * what its queue dropped, what it delivered, and how many inbound QoS 2 messages await PUBREL.
 */
public record SessionFigures(int inflight, int queued, long dropped, long delivered, int awaitingRel) {
}
