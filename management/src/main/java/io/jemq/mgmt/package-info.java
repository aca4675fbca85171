/**
 * Operating the broker: {@code $SYS} topics, Prometheus metrics, message tracing, the HTTP publish and REST API and
 * the ctl commands. Started beside the core as an {@link io.jemq.BrokerModule}; reads the broker through its views
 * (events, the counter table, clients, sessions, routes, plugins), never through its internals.
 */
package io.jemq.mgmt;
