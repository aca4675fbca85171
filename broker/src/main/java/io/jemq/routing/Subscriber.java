package io.jemq.routing;

/**
 * Receives routed messages; implemented by the session. The {@link Router} compares subscribers by identity, so one
 * client must keep using the same object for all its subscriptions (and a new object is a new subscriber).
 */
public interface Subscriber {

    /** The client id, compared with the publisher's to honour No Local. Called on the routing thread: keep it cheap. */
    String clientId();
}
