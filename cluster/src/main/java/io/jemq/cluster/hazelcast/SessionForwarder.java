package io.jemq.cluster.hazelcast;

import io.jemq.message.Message;
import io.jemq.routing.Router;
import io.jemq.routing.SubOptions;
import io.jemq.routing.Subscriber;
import io.jemq.routing.TopicFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Stands in, on the node a session leaves, for the client that moved to another node: subscribed to the session's
 * plain filters before the session lets go of them (so the cluster never lacks a route for them while it moves), it
 * sends what is routed here for the client on to the new node, after the session itself. It retires once this
 * node's route cache shows the new node's routes for every one of those filters, and a second more for the other
 * nodes to see them too (at most {@link #MAX_LIFE_S}). A message published on this node while the new node's route
 * is already known here is not sent twice (the route sends it); one that another node forwarded here is sent on,
 * since that node may not know the new route yet: a message published on a third node at the very moment of the
 * move can reach the client twice.
 *
 * <p>Threads: {@link #deliver} on any publisher's or link's loop (a monitor, held only while the client moves);
 * {@link #start} on the session's loop; its retirement on the scheduler.
 */
final class SessionForwarder implements Subscriber {
    private static final Logger log = LoggerFactory.getLogger(SessionForwarder.class);
    static final int MAX_LIFE_S = 30;

    private final String clientId;
    private final PeerLink link;
    private final RouteTable routes;
    private final Router router;
    /** Guarded by this: what came before the session was sent; null once it was. */
    private ArrayDeque<Object[]> early = new ArrayDeque<>();
    private boolean retired;
    private List<TopicFilter> filters = List.of();

    SessionForwarder(String clientId, PeerLink link, RouteTable routes, Router router) {
        this.clientId = clientId;
        this.link = link;
        this.routes = routes;
        this.router = router;
    }

    @Override
    public String clientId() {
        return clientId;
    }

    @Override
    public void deliver(Message message, int qos, boolean retainFlag, int[] subscriptionIds, long routedAt) {
        if (!GroupTable.routingForPeer() && routes.reaches(link.node(), message.topic())) {
            message.release();                  // the new node's route carries it
            return;
        }
        synchronized (this) {
            if (retired) {
                message.release();
                return;
            }
            if (early != null) {
                early.add(new Object[] {message, qos, retainFlag, subscriptionIds});
                return;
            }
        }
        send(message, qos, retainFlag, subscriptionIds);
    }

    /** The link is behind: whoever publishes to the moving client pauses as for the client itself. */
    @Override
    public boolean isCongested() {
        return link.congestion().isCongested();
    }

    @Override
    public void whenDrained(Runnable resume) {
        link.congestion().whenDrained(resume);
    }

    @Override
    public void forgetPaused(Runnable resume) {
        link.congestion().forgetPaused(resume);
    }

    private void send(Message message, int qos, boolean retainFlag, int[] subscriptionIds) {
        try {
            link.deliver(clientId, message, qos, retainFlag, subscriptionIds,
                    message.qos() > 0 ? PublishAcceptance.current() : null);
        } finally {
            message.release();
        }
    }

    /**
     * The session was sent (on the link, before anything this sends): what waited goes now, and the forwarder
     * watches for the new node's routes.
     */
    void start(Map<TopicFilter, SubOptions> subscriptions, ScheduledExecutorService scheduler) {
        List<TopicFilter> plain = new ArrayList<>();
        subscriptions.keySet().forEach(f -> {
            if (f.shareGroup() == null) {
                plain.add(f);
            }
        });
        synchronized (this) {
            filters = plain;
            Object[] d;
            while ((d = early.poll()) != null) {
                send((Message) d[0], (int) d[1], (boolean) d[2], (int[]) d[3]);
            }
            early = null;
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(MAX_LIFE_S);
        scheduler.schedule(() -> watch(scheduler, until), 100, TimeUnit.MILLISECONDS);
    }

    private void watch(ScheduledExecutorService scheduler, long until) {
        List<String> names = filters.stream().map(TopicFilter::filter).toList();
        if (routes.hasRoutes(link.node(), names)) {
            scheduler.schedule(this::retire, 1, TimeUnit.SECONDS);
        } else if (System.nanoTime() - until > 0) {
            log.warn("the routes of {} did not reach this node from {} within {} s: no longer forwarding",
                    clientId, link.node(), MAX_LIFE_S);
            retire();
        } else {
            scheduler.schedule(() -> watch(scheduler, until), 100, TimeUnit.MILLISECONDS);
        }
    }

    /** Unsubscribes; what still arrives is dropped (the new node's routes are known everywhere by now). */
    void retire() {
        List<TopicFilter> mine;
        synchronized (this) {
            retired = true;
            mine = filters;
            if (early != null) {
                early.forEach(d -> ((Message) d[0]).release());
                early.clear();
            }
        }
        mine.forEach(f -> router.unsubscribe(this, f));
        log.debug("no longer forwarding {} to {}", clientId, link.node());
    }
}
