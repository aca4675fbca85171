package io.jemq.routing;

/**
 * One route as management lists it: a topic filter as subscribed (a shared subscription's filter without its
 * {@code $share/group/} prefix) and how many subscriptions it has on this node.
 */
public record RouteSnapshot(String filter, int subscribers) {
}
