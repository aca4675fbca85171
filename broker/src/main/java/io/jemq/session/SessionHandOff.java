package io.jemq.session;

import io.jemq.message.Delivery;
import io.jemq.routing.SubOptions;
import io.jemq.routing.TopicFilter;

import java.util.List;
import java.util.Map;

/**
 * What a session ended for a take-over by another node leaves to its new holder: its subscriptions, and the
 * deliveries it had not completed (those sent but not acknowledged first, in send order, then the queued ones). The
 * holder owns one reference of each delivery's message and must submit or release it.
 */
public record SessionHandOff(Map<TopicFilter, SubOptions> subscriptions, List<Delivery> pending) {

    /** Releases every delivery's message: the state is dropped (the new holder's client started clean). */
    public void release() {
        pending.forEach(Delivery::release);
    }
}
