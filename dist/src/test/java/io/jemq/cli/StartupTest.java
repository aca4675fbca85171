package io.jemq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jemq.Broker;
import io.jemq.config.BrokerSettings;
import io.jemq.testkit.LogCapture;

/** The full start as {@code bin/jemq console} does it, in process. */
class StartupTest {
    @TempDir
    Path dir;

    private LogCapture logged;

    @BeforeEach
    void attachLog() {
        logged = new LogCapture(Startup.class.getName());
    }

    @AfterEach
    void detachLog() {
        logged.close();
    }

    private BrokerSettings settings(String listener) throws IOException {
        Path conf = Files.writeString(dir.resolve("emq.conf"), "node.name = jemq@127.0.0.1\n");
        return SettingsLoader.load(conf, Map.of("listener.tcp.external", listener, "mqtt.storage", "memory"));
    }

    private List<String> messages() {
        return logged.messages();
    }

    @Test
    void logsEachListenerWithItsBoundPortThenTheStartedLine() throws IOException {
        try (Broker broker = Broker.builder().settings(settings("127.0.0.1:0")).build()) {
            Startup.start(broker);
            int port = broker.boundPort("tcp.external");

            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
                assertThat(client.isConnected()).isTrue();
            }
            assertThat(messages()).contains("listening on tcp.external 127.0.0.1:" + port);
            String started = "jemq " + Version.current() + " started as jemq@127.0.0.1 in ";
            assertThat(messages()).last().asString().startsWith(started).matches(".* in \\d+ ms");
        }
    }

    @Test
    void aTakenPortIsReportedWithTheListenerAddress() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Broker broker = Broker.builder().settings(settings("127.0.0.1:" + port)).build();

            assertThatThrownBy(() -> Startup.start(broker))
                    .isInstanceOf(StartFailure.class)
                    .hasMessage("cannot listen on 127.0.0.1:" + port + ": Address already in use");
        }
    }
}
