package io.jemq.cluster;

import io.jemq.flow.Backpressure;
import io.jemq.message.Message;

/**
 * The routes this node shares with the other nodes of a cluster, and the way a message reaches them.
 *
 * <p>The router calls {@link #routeAdded} when a topic filter gets its first local subscriber (plain or shared) and
 * {@link #routeRemoved} when it loses its last, under its own lock, so the calls for one filter come in order; an
 * implementation must only record them (and tell its peers asynchronously), never block. The publish pipeline calls
 * {@link #forward} for every message after local routing, on the publisher's event loop (any thread for wills).
 */
public interface ClusterRoutes {

    /** One node alone: there is no one to tell and nowhere to forward. Costs one inlined call per publish. */
    ClusterRoutes SINGLE_NODE = new ClusterRoutes() {
        @Override
        public void routeAdded(String filter) {
        }

        @Override
        public void routeRemoved(String filter) {
        }

        @Override
        public int forward(Message message, Backpressure backpressure) {
            return 0;
        }
    };

    void routeAdded(String filter);

    /**
     * A client's QoS 1/2 publish starts on this thread (beside the store's unit): what {@link #forward} sends to
     * other nodes until {@link #endUnit} is tracked, so the publisher's acknowledgement can wait for them.
     */
    default void beginUnit() {
    }

    /**
     * Ends this thread's unit.
     *
     * @return what the other nodes have yet to accept of the messages forwarded in the unit; null when nothing
     *         waits (no QoS 1/2 message went to another node, or a node alone), which allocates nothing
     */
    default Accepted endUnit() {
        return null;
    }

    /**
     * A share group got its first member on this node (the filter's route is told through {@link #routeAdded} as
     * for plain subscribers). Under the router's lock, like {@link #routeAdded}.
     */
    default void groupAdded(String filter, String group) {
    }

    /** A share group lost its last member on this node. */
    default void groupRemoved(String filter, String group) {
    }

    /**
     * Whether this node's members of a share group take the message being routed now, so that across the cluster
     * each message goes to one member of a group: false when the cluster chose another node's member for it. Asked
     * while routing, on the routing thread, for every matching group that has members here; must answer at once.
     */
    default boolean servesGroupHere(String filter, String group) {
        return true;
    }

    void routeRemoved(String filter);

    /**
     * Sends a message published here to the nodes whose subscribers' filters match it. The caller keeps its own
     * reference; an implementation that sends later retains it.
     *
     * @param backpressure the publisher's, told about a link to another node that is behind (its connection does not
     *                     take more), so the publisher pauses as for a congested local subscriber; null for
     *                     publishers that cannot pause
     * @return how many nodes it went to
     */
    int forward(Message message, Backpressure backpressure);
}
