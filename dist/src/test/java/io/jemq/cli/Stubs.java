package io.jemq.cli;

import java.util.Map;

import io.jemq.Broker;
import io.jemq.config.BrokerSettings;
import io.jemq.config.ConfFile;

/**
 * Tells whether the config layer and the broker core are still the API stubs that throw
 * {@link UnsupportedOperationException}; tests of a real start are skipped (not failed) until they land.
 */
final class Stubs {
    private Stubs() {
    }

    static boolean config() {
        try {
            BrokerSettings.from(ConfFile.of(Map.of()));
            return false;
        } catch (UnsupportedOperationException e) {
            return true;
        } catch (RuntimeException realCodeSaidNo) {
            return false;
        }
    }

    /** Also true while the config layer is a stub: a broker cannot be built without settings. */
    static boolean broker() {
        try {
            BrokerSettings settings = BrokerSettings.from(ConfFile.of(Map.of("listener.tcp.external", "127.0.0.1:0")));
            try (Broker broker = Broker.builder().settings(settings).build()) {
                // Not started: the real core answers or refuses; only the stub throws UnsupportedOperationException.
                broker.boundPort("tcp.external");
            }
            return false;
        } catch (UnsupportedOperationException e) {
            return true;
        } catch (RuntimeException realCodeSaidNo) {
            return false;
        }
    }
}
