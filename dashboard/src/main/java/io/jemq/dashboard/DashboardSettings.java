package io.jemq.dashboard;

import io.jemq.config.AccessRule;
import io.jemq.config.ConfFile;
import io.jemq.config.ConfigKeys;
import io.jemq.config.ListenerAddress;
import io.jemq.mgmt.http.ApiListener;

import java.util.List;
import java.util.Optional;

/**
 * What the dashboard reads from {@code etc/emq.conf}: {@code dashboard.listener} ({@code [host:]port}, 0 picks a free
 * port) and its {@code .acceptors} and {@code .max_clients}. Read once when the module starts; a bad value names file,
 * line and key. Without a {@code dashboard.listener} line the dashboard is off (the shipped file has 18083).
 */
public final class DashboardSettings {
    public static final String KEY = "dashboard.listener";
    static final ConfigKeys KEYS = ConfigKeys.of(KEY, KEY + ".acceptors", KEY + ".max_clients");
    private static final int BACKLOG = 128;
    private static final int MAX_BODY = 1 << 20;

    private DashboardSettings() {
    }

    /** The listener, as management's server takes it; empty when the file has no {@code dashboard.listener}. */
    public static Optional<ApiListener> listener(ConfFile f) {
        if (!f.contains(KEY)) {
            return Optional.empty();
        }
        ListenerAddress a = f.parsed(KEY, null, ListenerAddress.EXPECTED, ListenerAddress::parse);
        return Optional.of(new ApiListener(a.host(), a.port(), f.integer(KEY + ".acceptors", 2, 1, 64),
                f.integer(KEY + ".max_clients", 64, 1, 100_000), BACKLOG, List.of(AccessRule.ALLOW_ALL),
                Optional.empty(), MAX_BODY));
    }

    /** Declares these keys (ServiceLoader: {@code META-INF/services/io.jemq.config.ConfigKeys$Source}). */
    public static final class Keys implements ConfigKeys.Source {
        @Override
        public ConfigKeys configKeys() {
            return KEYS;
        }
    }
}
