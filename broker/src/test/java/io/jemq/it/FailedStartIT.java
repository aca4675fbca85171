package io.jemq.it;

import io.jemq.Broker;
import io.jemq.config.BrokerSettings;
import io.jemq.config.ConfFile;
import io.jemq.testkit.EmbeddedBroker;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A start that fails because a listener's port is taken leaves nothing behind: no listening socket, no thread. */
class FailedStartIT {
    @Test
    void aListenerThatCannotBindUnbindsTheOnesBoundBeforeIt() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Set<Integer> listeningBefore = ListeningPorts.ofThisProcess();
            Broker broker = Broker.builder().settings(BrokerSettings.from(ConfFile.of(Map.of(
                    "mqtt.storage", "memory",
                    "listener.tcp.first", "127.0.0.1:0",
                    "listener.tcp.second", "127.0.0.1:" + taken.getLocalPort())))).build();
            try {
                assertThatThrownBy(() -> broker.start().join())
                        .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort() + " (tcp.second)");

                // before close: the failed start itself gives the first port back
                assertThat(ListeningPorts.ofThisProcess()).isEqualTo(listeningBefore);
                assertThatThrownBy(() -> broker.boundPort("tcp.first")).isInstanceOf(IllegalArgumentException.class);
            } finally {
                broker.close();
            }
        }
    }

    @Test
    void theFixtureClosesABrokerWhoseStartFailed() throws IOException {
        Set<Thread> before = brokerThreads();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> EmbeddedBroker.start("listener.tcp.external",
                    "127.0.0.1:" + taken.getLocalPort())).hasMessageContaining("cannot listen on");
        }
        await().untilAsserted(() -> assertThat(brokerThreads()).isSubsetOf(before));
    }

    /** The event loops' threads (jemq-accept-*, jemq-io-*) alive now, of this and any other broker in the JVM. */
    private static Set<Thread> brokerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("jemq-"))
                .collect(Collectors.toSet());
    }
}
