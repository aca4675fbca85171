package io.jemq.cluster;

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
        public int forward(Message message) {
            return 0;
        }
    };

    void routeAdded(String filter);

    void routeRemoved(String filter);

    /**
     * Sends a message published here to the nodes whose subscribers' filters match it. The caller keeps its own
     * reference; an implementation that sends later retains it.
     *
     * @return how many nodes it went to
     */
    int forward(Message message);
}
