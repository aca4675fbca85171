package io.jemq;

import io.jemq.config.BrokerSettings;

import java.util.concurrent.CompletableFuture;

/**
 * The broker: wires listeners, sessions, routing and retained messages with constructors, in one place.
 * Embeddable: {@code try (Broker b = Broker.builder().settings(s).build()) { b.start().join(); b.boundPort("tcp.external"); }}
 */
public final class Broker implements AutoCloseable {
    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private BrokerSettings settings;

        public Builder settings(BrokerSettings settings) {
            this.settings = settings;
            return this;
        }

        public Broker build() {
            return new Broker(settings);
        }
    }

    private final BrokerSettings settings;

    private Broker(BrokerSettings settings) {
        this.settings = settings;
    }

    public BrokerSettings settings() {
        return settings;
    }

    /** Binds every listener; completes when all accept connections, or exceptionally when one cannot bind. */
    public CompletableFuture<Void> start() {
        throw new UnsupportedOperationException("stub");
    }

    /** The port a listener is bound to, e.g. {@code boundPort("tcp.external")}; useful when it was configured as 0. */
    public int boundPort(String listenerId) {
        throw new UnsupportedOperationException("stub");
    }

    /** Graceful stop: stop accepting, publish the wills of connected clients, close connections and sessions. */
    @Override
    public void close() {
    }
}
