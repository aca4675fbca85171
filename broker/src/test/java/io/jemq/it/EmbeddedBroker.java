package io.jemq.it;

import io.jemq.Broker;
import io.jemq.config.BrokerSettings;
import io.jemq.config.ConfFile;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A broker in the test's JVM on an ephemeral loopback port, configured with the same keys as etc/emq.conf.
 * {@code try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.session.max_inflight", "4")) { b.port(); }}
 */
public final class EmbeddedBroker implements AutoCloseable {
    private final Broker broker;

    private EmbeddedBroker(Broker broker) {
        this.broker = broker;
    }

    /** @param keyValues alternating keys and values, applied over a loopback listener on port 0 */
    public static EmbeddedBroker start(String... keyValues) {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("listener.tcp.external", "127.0.0.1:0");
        for (int i = 0; i < keyValues.length; i += 2) {
            conf.put(keyValues[i], keyValues[i + 1]);
        }
        return new EmbeddedBroker(startBroker(conf));
    }

    /**
     * Builds a broker with this configuration and starts it; closes it when the start fails, since the test never
     * gets the broker to close: its event loops and control socket would outlive the test.
     */
    public static Broker startBroker(Map<String, String> conf) {
        Broker b = Broker.builder().settings(BrokerSettings.from(ConfFile.of(conf))).build();
        try {
            b.start().join();
        } catch (RuntimeException e) {
            try {
                b.close();
            } catch (RuntimeException duringClose) {
                e.addSuppressed(duringClose);
            }
            throw e;
        }
        return b;
    }

    public int port() {
        return broker.boundPort("tcp.external");
    }

    public Broker broker() {
        return broker;
    }

    @Override
    public void close() {
        broker.close();
    }
}
