package io.jemq.routing;

import io.jemq.api.DropReason;
import io.jemq.cluster.ClusterRoutes;
import io.jemq.config.SessionSettings;
import io.jemq.events.BrokerEvents;
import io.jemq.flow.Backpressure;
import io.jemq.message.Message;
import io.jemq.sys.Counter;
import io.jemq.sys.Counters;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.function.Consumer;

/**
 * The publish pipeline, the one way a message enters routing (client publishes, wills, later the management API):
 * the event first, then its retain flag applied to the retained store, then every matching local subscriber, then
 * the other nodes of a cluster. The middle of decode → route → encode.
 *
 * <p>Called on the publisher's event loop, or for wills on any thread; never blocks and, once a thread's
 * {@link Deliveries} has grown, allocates one delivery per subscriber and nothing else. The caller keeps its own
 * reference to the message; each subscriber is handed one.
 */
public final class Dispatcher {
    private static final FastThreadLocal<Deliveries> DELIVERIES = new FastThreadLocal<>() {
        @Override
        protected Deliveries initialValue() {
            return new Deliveries();
        }
    };

    private final Router router;
    /** The retainer: applies a retained PUBLISH (routing must not know the retained store). */
    private final Consumer<Message> retainer;
    private final ClusterRoutes clusterRoutes;
    private final BrokerEvents events;
    private final boolean upgradeQos;
    private final boolean ignoreLoopDeliver;
    private final Counters counters;

    /** A pipeline of one node alone that nobody listens to (tests, tools). */
    public Dispatcher(Router router, Consumer<Message> retainer, SessionSettings settings, Counters counters) {
        this(router, retainer, settings, counters, new BrokerEvents(), ClusterRoutes.SINGLE_NODE);
    }

    public Dispatcher(Router router, Consumer<Message> retainer, SessionSettings settings, Counters counters,
                      BrokerEvents events, ClusterRoutes clusterRoutes) {
        this.router = router;
        this.retainer = retainer;
        this.upgradeQos = settings.upgradeQos();
        this.ignoreLoopDeliver = settings.ignoreLoopDeliver();
        this.counters = counters;
        this.events = events;
        this.clusterRoutes = clusterRoutes;
    }

    /** The cluster seam messages are forwarded through: a publisher's unit of writes includes what it forwards. */
    public ClusterRoutes cluster() {
        return clusterRoutes;
    }

    /** @return how many local subscribers the message was handed to */
    public int dispatch(Message message) {
        return dispatch(message, null);
    }

    /**
     * @param backpressure told about the first congested subscriber the message went to, and about a congested link
     *                     to another node it was forwarded on; null for publishers that can't pause
     * @return how many local subscribers the message was handed to
     */
    public int dispatch(Message message, Backpressure backpressure) {
        if (events.active()) {
            events.messagePublished(message);
        }
        if (message.isRetain()) {
            retainer.accept(message);
        }
        int handed = routeLocally(message, backpressure);
        int nodes = clusterRoutes.forward(message, backpressure);
        if (handed == 0 && nodes == 0) {
            counters.bump(Counter.MESSAGES_DROPPED_NO_SUBSCRIBERS);
            counters.bump(Counter.MESSAGES_DROPPED);
            if (events.active()) {
                events.messageDropped(null, message, DropReason.NO_SUBSCRIBERS);
            }
        }
        return handed;
    }

    /**
     * A message another node forwarded: its retain flag applied here too (so every node serves the retained
     * messages), then the local subscribers; no events (the publishing node told its listeners) and no forwarding.
     *
     * @param backpressure the link it came on, told about a congested subscriber as a local publisher would be
     * @return how many local subscribers the message was handed to
     */
    public int dispatchFromPeer(Message message, Backpressure backpressure) {
        if (message.isRetain()) {
            retainer.accept(message);
        }
        return routeLocally(message, backpressure);
    }

    private int routeLocally(Message message, Backpressure backpressure) {
        Deliveries out = DELIVERIES.get();
        out.clear();
        long routedAt = router.removals();          // before matching: see Session.isStale
        router.route(message.topic(), message.publisherId(), out);
        int handed = 0;
        for (int i = 0, n = out.size(); i < n; i++) {
            Subscriber target = out.subscriber(i);
            if (ignoreLoopDeliver && !out.shared(i) && target.clientId().equals(message.publisherId())) {
                continue;
            }
            int granted = out.qos(i);
            int qos = upgradeQos ? granted : Math.min(granted, message.qos());
            boolean retainFlag = out.retainAsPublished(i) && message.isRetain();
            message.retain();
            target.deliver(message, qos, retainFlag, out.subscriptionIds(i), routedAt);
            handed++;
            if (backpressure != null && target.isCongested()) {
                backpressure.congested(target);
                backpressure = null;
            }
        }
        out.clear();
        return handed;
    }
}
