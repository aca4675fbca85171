package io.jemq.auth.http;

import io.jemq.api.PluginMetrics;
import io.jemq.auth.http.HttpRequestSpec.Kind;

import java.util.Locale;

/**
 * The plugin's counters, through {@code context.metrics()}: per request kind {@code <kind>/allow}, {@code /deny},
 * {@code /ignore}, {@code /error} ({@code auth_req/allow}, {@code acl_req/error}...; for {@code super_req}, allow is
 * "a superuser" and deny "not one"), and {@code acl_cache/hit} for checks the cache answered without a request.
 * Looked up once; bumped from any thread.
 */
final class RequestCounters {
    /** What one request ended with. */
    enum Outcome { ALLOW, DENY, IGNORE, ERROR }

    private final PluginMetrics.Counter[][] counters = new PluginMetrics.Counter[Kind.values().length][];
    private final PluginMetrics.Counter cacheHit;

    RequestCounters(PluginMetrics metrics) {
        for (Kind kind : Kind.values()) {
            PluginMetrics.Counter[] row = new PluginMetrics.Counter[Outcome.values().length];
            for (Outcome o : Outcome.values()) {
                row[o.ordinal()] = metrics.counter(kind.key() + "/" + o.name().toLowerCase(Locale.ROOT));
            }
            counters[kind.ordinal()] = row;
        }
        cacheHit = metrics.counter("acl_cache/hit");
    }

    void count(Kind kind, Outcome outcome) {
        counters[kind.ordinal()][outcome.ordinal()].increment();
    }

    void count(Kind kind, HttpAnswer answer) {
        count(kind, switch (answer.decision()) {
            case ALLOW -> Outcome.ALLOW;
            case DENY -> Outcome.DENY;
            case IGNORE -> Outcome.IGNORE;
        });
    }

    void cacheHit() {
        cacheHit.increment();
    }
}
