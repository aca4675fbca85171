package io.jemq.testkit.sample;

import io.jemq.api.Authenticator;
import io.jemq.api.BrokerListener;
import io.jemq.api.ClientInfo;
import io.jemq.api.DisconnectReason;
import io.jemq.api.Plugin;
import io.jemq.api.PluginContext;
import io.jemq.api.PluginMetrics;

import java.util.List;

/**
 * The loaded sample: its authenticator, and a listener that counts the clients that connect and disconnect. The
 * listener is called on event loops, so it only bumps counters. Nothing to close: the broker takes back the pool,
 * the listener and the counters itself.
 */
final class SamplePlugin implements Plugin {
    private final SampleAuthenticator authenticator;

    SamplePlugin(PluginContext context, SampleAuthenticator authenticator) {
        this.authenticator = authenticator;
        PluginMetrics.Counter connected = context.metrics().counter("clients/connected");
        PluginMetrics.Counter disconnected = context.metrics().counter("clients/disconnected");
        context.addListener(new BrokerListener() {
            @Override
            public void clientConnected(ClientInfo client, int connackCode) {
                if (connackCode == 0) {
                    connected.increment();
                }
            }

            @Override
            public void clientDisconnected(ClientInfo client, DisconnectReason reason) {
                disconnected.increment();
            }
        });
    }

    @Override
    public List<Authenticator> authenticators() {
        return List.of(authenticator);
    }
}
