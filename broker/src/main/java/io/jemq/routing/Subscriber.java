package io.jemq.routing;

import io.jemq.flow.Congestible;
import io.jemq.message.Message;

/**
 * Who takes routed messages: a local session today, a remote node's proxy later. The {@link Router} compares
 * subscribers by identity, so one client must keep using the same object for all its subscriptions (and a new object
 * is a new subscriber).
 *
 * <p>Whether it holds its publishers back is {@link Congestible}'s (a session behind its queue's high watermark).
 *
 * <p>Threads: every method is called by the publish pipeline on the publisher's event loop (any thread for wills):
 * each must be cheap, never block, and hand the delivery over to the subscriber's own thread.
 */
public interface Subscriber extends Congestible {

    /** The client id, compared with the publisher's to honour No Local. */
    String clientId();

    /**
     * Takes one delivery of {@code message}, with this subscriber's granted QoS, retain flag and subscription ids.
     * The caller retained the message once for this call: the subscriber owns that reference now.
     *
     * @param routedAt {@link Router#removals()} read before matching, so a delivery routed to a subscription that
     *                 went away meanwhile can be told apart
     */
    void deliver(Message message, int qos, boolean retainFlag, int[] subscriptionIds, long routedAt);
}
