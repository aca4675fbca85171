package io.jemq.session;

import io.jemq.config.SessionSettings;
import io.jemq.message.Message;
import io.jemq.retain.Retainer;
import io.jemq.routing.Deliveries;
import io.jemq.routing.Router;
import io.jemq.sys.Counter;
import io.jemq.sys.Counters;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Publishes one message: applies its retain flag to the retained store, then routes it to every matching session
 * (the middle of decode → route → encode). Called on the publisher's event loop, or for wills on any thread; never
 * blocks. The caller keeps its own reference to the message; each delivery takes one.
 */
public final class Dispatcher {
    private static final FastThreadLocal<Deliveries> DELIVERIES = new FastThreadLocal<>() {
        @Override
        protected Deliveries initialValue() {
            return new Deliveries();
        }
    };

    private final Router router;
    private final Retainer retainer;
    private final boolean upgradeQos;
    private final boolean ignoreLoopDeliver;
    private final Counters counters;

    public Dispatcher(Router router, Retainer retainer, SessionSettings settings, Counters counters) {
        this.router = router;
        this.retainer = retainer;
        this.upgradeQos = settings.upgradeQos();
        this.ignoreLoopDeliver = settings.ignoreLoopDeliver();
        this.counters = counters;
    }

    /** Told about the first congested session a message was routed to, so the publisher can pause. */
    public interface Backpressure {
        void congested(Session target);
    }

    /** @return how many sessions the message was handed to */
    public int dispatch(Message message) {
        return dispatch(message, null);
    }

    /**
     * @param backpressure told (once) when a target session is congested; null for publishers that can't pause
     * @return how many sessions the message was handed to
     */
    public int dispatch(Message message, Backpressure backpressure) {
        if (message.isRetain()) {
            retainer.onRetainedPublish(message);
        }
        Deliveries out = DELIVERIES.get();
        out.clear();
        long routedAt = router.removals();          // before matching: see Session.isStale
        router.route(message.topic(), message.publisherId(), out);
        int handed = 0;
        for (int i = 0, n = out.size(); i < n; i++) {
            Session target = (Session) out.subscriber(i);
            if (ignoreLoopDeliver && !out.shared(i) && target.clientId().equals(message.publisherId())) {
                continue;
            }
            int granted = out.qos(i);
            int qos = upgradeQos ? granted : Math.min(granted, message.qos());
            boolean retainFlag = out.retainAsPublished(i) && message.isRetain();
            message.retain();
            target.submit(new Delivery(message, qos, retainFlag, out.subscriptionIds(i), routedAt));
            handed++;
            if (backpressure != null && target.isCongested()) {
                backpressure.congested(target);
                backpressure = null;
            }
        }
        out.clear();
        if (handed == 0) {
            counters.bump(Counter.MESSAGES_DROPPED_NO_SUBSCRIBERS);
            counters.bump(Counter.MESSAGES_DROPPED);
        }
        return handed;
    }
}
