package io.jemq.it;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A listener's {@code acceptors}: on Linux (epoll) that many server sockets share its port through SO_REUSEPORT, up
 * to one per core, and the kernel spreads new connections over them; the port stays this broker's alone.
 */
class AcceptorsIT {
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    @Test
    void aListenerWithSeveralAcceptorsListensOnThatManySocketsAndAcceptsOnAll() {
        try (EmbeddedBroker b = EmbeddedBroker.start("listener.tcp.external", "127.0.0.1:0",
                "listener.tcp.external.acceptors", "4")) {
            int port = b.port();
            assertThat(ListeningPorts.socketsOn(port)).isEqualTo(Math.min(4, CORES));

            List<Mqtt3BlockingClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 40; i++) {
                    // each one CONNACKed, whichever of the sockets took it
                    clients.add(Clients.connect3(port, "acceptors-" + i, null, null));
                }
                assertThat(b.broker().listeners().currentConnections("tcp.external")).isEqualTo(40);
            } finally {
                clients.forEach(Mqtt3BlockingClient::disconnect);
            }
        }
    }

    @Test
    void oneAcceptorIsOneSocket() {
        try (EmbeddedBroker b = EmbeddedBroker.start("listener.tcp.external", "127.0.0.1:0",
                "listener.tcp.external.acceptors", "1")) {
            assertThat(ListeningPorts.socketsOn(b.port())).isEqualTo(1);
        }
    }

    @Test
    void aSecondBrokerCannotShareThePortOfOneWithSeveralAcceptors() {
        try (EmbeddedBroker first = EmbeddedBroker.start("listener.tcp.external", "127.0.0.1:0",
                "listener.tcp.external.acceptors", "4")) {
            int port = first.port();
            assertThatThrownBy(() -> EmbeddedBroker.start("listener.tcp.external", "127.0.0.1:" + port,
                    "listener.tcp.external.acceptors", "4"))
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + port + " (tcp.external)");
            assertThat(ListeningPorts.socketsOn(port)).isEqualTo(Math.min(4, CORES));
        }
    }
}
