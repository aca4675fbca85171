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

    static boolean broker() {
        try {
            Broker.builder().settings(null).build().boundPort("tcp.external");
            return false;
        } catch (UnsupportedOperationException e) {
            return true;
        } catch (RuntimeException realCodeSaidNo) {
            return false;
        }
    }
}
