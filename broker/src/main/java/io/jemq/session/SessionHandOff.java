package io.jemq.session;

import io.jemq.message.Delivery;
import io.jemq.routing.SubOptions;
import io.jemq.routing.TopicFilter;
import io.jemq.store.InflightEntry;
import io.jemq.store.InflightWindow;
import io.jemq.store.StoredSession;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a session ended for a take-over by another node leaves to its new holder: its subscriptions, and the
 * deliveries it had not completed (those sent but not acknowledged first, in send order, then the queued ones). The
 * holder owns one reference of each delivery's message and must submit or release it.
 */
public record SessionHandOff(Map<TopicFilter, SubOptions> subscriptions, List<Delivery> pending) {

    /**
     * Takes a session's state: its subscriptions, then what was in flight (not yet released), what was queued and
     * what was routed to it but not handled yet.
     */
    static SessionHandOff take(StoredSession stored, SessionQueue queue, SessionInbox inbox) {
        List<Delivery> pending = new ArrayList<>();
        for (InflightEntry e : stored.inflight().inSendOrder()) {
            Delivery d = e.delivery();
            if (d != null && e.stage() != InflightWindow.Stage.AWAITING_PUBCOMP) {
                pending.add(new Delivery(d.message().retain(), d.qos(), d.retainFlag(), d.subscriptionIds()));
            }
        }
        for (Delivery d = queue.poll(); d != null; d = queue.poll()) {
            pending.add(d);
        }
        for (Delivery d = inbox.poll(); d != null; d = inbox.poll()) {
            pending.add(d);
        }
        return new SessionHandOff(new LinkedHashMap<>(stored.subscriptions()), pending);
    }

    /** Releases every delivery's message: the state is dropped (the new holder's client started clean). */
    public void release() {
        pending.forEach(Delivery::release);
    }
}
