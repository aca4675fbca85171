package io.jemq.access;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Logs a source's outage once when it starts and once when it ends, not once per client. Thread-safe. */
final class SourceHealth {
    private static final Logger log = LoggerFactory.getLogger(SourceHealth.class);

    private final Set<String> down = ConcurrentHashMap.newKeySet();

    void failed(String source, String what, Throwable e) {
        if (down.add(source)) {
            log.warn("{} source {} is unavailable: {}", what, source, describe(e));
        }
    }

    void answered(String source, String what) {
        if (!down.isEmpty() && down.remove(source)) {
            log.info("{} source {} answers again", what, source);
        }
    }

    static String describe(Throwable e) {
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                ? e.getCause() : e;
        return cause instanceof java.util.concurrent.TimeoutException ? "no answer within mqtt.auth_timeout"
                : cause.toString();
    }
}
