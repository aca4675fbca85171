/**
 * Authentication and ACL sources on external servers, one package per backend (mysql, pgsql, redis, mongo, ldap,
 * http), each a {@link io.jemq.api.PluginFactory} found by {@link java.util.ServiceLoader}. Code here imports
 * {@code io.jemq.api}, the JDK and its backend's client library only: never the broker (ArchitectureTest checks it).
 */
package io.jemq.auth;
