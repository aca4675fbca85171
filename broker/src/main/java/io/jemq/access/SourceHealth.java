package io.jemq.access;

import io.jemq.api.FailurePolicy;
import io.jemq.api.SourceUnavailableException;
import io.jemq.sys.Alarms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logs a source's outage once when it starts and once when it ends, not once per client, and raises an alarm for it
 * meanwhile ({@code auth_source_down_<source>}, {@code acl_source_down_<source>}) once the broker has given its
 * {@link Alarms}. Thread-safe.
 */
final class SourceHealth {
    private static final Logger log = LoggerFactory.getLogger(SourceHealth.class);

    private final Set<String> down = ConcurrentHashMap.newKeySet();
    private final String alarmPrefix;
    private volatile Alarms alarms;

    /** @param alarmPrefix {@code auth} or {@code acl}: the alarm ids are {@code <prefix>_source_down_<source>} */
    SourceHealth(String alarmPrefix) {
        this.alarmPrefix = alarmPrefix;
    }

    void reportTo(Alarms alarms) {
        this.alarms = alarms;
    }

    void failed(String source, String what, Throwable e) {
        failed(source, what, e, FailurePolicy.DENY);
    }

    /** @param onError what the failure answers, so the log says whether clients are refused or passed on */
    void failed(String source, String what, Throwable e, FailurePolicy onError) {
        if (down.add(source)) {
            log.warn("{} source {} is unavailable: {}; meanwhile {}", what, source, describe(e),
                    onError == FailurePolicy.IGNORE ? "the next source decides (on_error = ignore)"
                            : "its checks are refused (on_error = deny)");
            Alarms a = alarms;
            if (a != null) {
                a.raise(alarmId(source), what + " source " + source + " is unavailable: " + describe(e));
            }
        }
    }

    void answered(String source, String what) {
        if (!down.isEmpty() && down.remove(source)) {
            log.info("{} source {} answers again", what, source);
            Alarms a = alarms;
            if (a != null) {
                a.clear(alarmId(source));
            }
        }
    }

    private String alarmId(String source) {
        return alarmPrefix + "_source_down_" + source;
    }

    static String describe(Throwable e) {
        return SourceUnavailableException.describe(e);
    }
}
