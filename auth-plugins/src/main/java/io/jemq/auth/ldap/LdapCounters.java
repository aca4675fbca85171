package io.jemq.auth.ldap;

import io.jemq.api.AuthResult;
import io.jemq.api.PluginMetrics;

/**
 * The plugin's own counters ({@code auth/success}, {@code auth/failure}, {@code auth/ignore}), looked up once at load
 * and bumped from event loops and pool threads alike. Outages are counted by the broker, per source.
 */
final class LdapCounters {
    final PluginMetrics.Counter success;
    final PluginMetrics.Counter failure;
    final PluginMetrics.Counter ignore;

    LdapCounters(PluginMetrics metrics) {
        success = metrics.counter("auth/success");
        failure = metrics.counter("auth/failure");
        ignore = metrics.counter("auth/ignore");
    }

    /** Counts an answer and passes it on. */
    AuthResult count(AuthResult result) {
        switch (result.decision()) {
            case ALLOW -> success.increment();
            case DENY -> failure.increment();
            case IGNORE -> ignore.increment();
        }
        return result;
    }
}
