package io.jemq.config;

import io.jemq.api.ConfigException;
import io.jemq.testkit.LogCapture;
import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ListenerBlocksTest {
    private static List<ListenerSettings> listeners(String... keyValues) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            entries.put(keyValues[i], keyValues[i + 1]);
        }
        return BrokerSettings.from(ConfFile.of(entries)).listeners();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "1883                 | 0.0.0.0             | 1883",
            "0.0.0.0:1883         | 0.0.0.0             | 1883",
            "127.0.0.1:0          | 127.0.0.1           | 0",
            "localhost:11883      | localhost           | 11883",
            "[::1]:1883           | ::1                 | 1883",
            "::1:1883             | ::1                 | 1883",
            "[::]:8883            | ::                  | 8883",
            ":::1883              | ::                  | 1883",
            "fe80::1:65535        | fe80::1             | 65535",
            "[2001:db8::7]:1883   | 2001:db8::7         | 1883",
    })
    void addressForms(String value, String host, int port) {
        ListenerSettings l = listeners("listener.tcp.external", value).get(0);

        assertThat(l.host()).isEqualTo(host);
        assertThat(l.port()).isEqualTo(port);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"65536", "0.0.0.0:70000", "lots", ":1883", "0.0.0.0:", "::1", "[::1]",
            "[127.0.0.1]:1883", "host name:1883", "-1", "[::g]:1883"})
    void badAddresses(String value) {
        assertThatThrownBy(() -> listeners("listener.tcp.external", value))
                .isInstanceOf(ConfigException.class)
                .hasMessage("<settings>: listener.tcp.external: expected " + ListenerAddress.EXPECTED
                        + ", got \"" + value + "\"");
    }

    @Test
    void anAccessRuleNumberWithOnlyKeysBelowItIsAnError() {
        // found by ConfFileFuzzTest: a null rule, then a NullPointerException
        assertThatThrownBy(() -> listeners("listener.tcp.external", "1883",
                "listener.tcp.external.access.1.x", "allow all"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("<settings>: listener.tcp.external.access.1.x: expected a numbered rule: "
                        + "listener.tcp.external.access.N, got \"allow all\"");
    }

    @Test
    void aTlsFileNameThatIsNoPathIsAnError() {
        // found by ConfFileFuzzTest: Path.of threw InvalidPathException
        assertThatThrownBy(() -> listeners("listener.ssl.external", "8883",
                "listener.ssl.external.cacertfile", "etc/certs/\0ca.pem"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("<settings>: listener.ssl.external.cacertfile: expected a file name");
    }

    @Test
    void readsEachTcpBlockWithItsOptionsInFileOrder() {
        List<ListenerSettings> all = listeners(
                "listener.tcp.external", "0.0.0.0:1883",
                "listener.tcp.external.acceptors", "8",
                "listener.tcp.external.max_clients", "1000",
                "listener.tcp.external.backlog", "2048",
                "listener.tcp.external.nodelay", "false",
                "listener.tcp.external.sndbuf", "64KB",
                "listener.tcp.external.recbuf", "4KB",
                "listener.tcp.external.access.1", "allow all",
                "listener.tcp.internal", "127.0.0.1:11883");

        assertThat(all).containsExactly(
                new ListenerSettings("tcp", "external", "0.0.0.0", 1883, 8, 1000, 2048, false, 65536, 4096),
                new ListenerSettings("tcp", "internal", "127.0.0.1", 11883, 16, 102400, 1024, true, 0, 0));
        assertThat(all.get(1).id()).isEqualTo("tcp.internal");
    }

    @Test
    void readsTlsAndWebSocketBlocksAndSkipsTheManagementOnes() {
        try (LogCapture log = new LogCapture("io.jemq.config")) {
            List<ListenerSettings> all = listeners(
                    "listener.ssl.external", "8883",
                    "listener.ssl.external.keyfile", "etc/certs/key.pem",
                    "listener.tcp.external", "1883",
                    "listener.ws.external", "8083",
                    "listener.wss.external", "8084",
                    "listener.api.mgmt", "0.0.0.0:8080");

            assertThat(all).extracting(ListenerSettings::id)
                    .containsExactly("ssl.external", "tcp.external", "ws.external", "wss.external");
            assertThat(all).extracting(ListenerSettings::isTls).containsExactly(true, false, false, true);
            assertThat(all).extracting(ListenerSettings::isWebSocket).containsExactly(false, false, true, true);
            assertThat(log.messages(Level.WARN)).isEmpty();
        }
    }

    @Test
    void anUnknownProtocolIsWarnedAbout() {
        try (LogCapture log = new LogCapture("io.jemq.config")) {
            List<ListenerSettings> all = listeners("listener.tcp.external", "1883", "listener.quic.external", "14567");

            assertThat(all).hasSize(1);
            assertThat(log.messages(Level.WARN)).containsExactly(
                    "<settings>: unknown listener protocol quic, ignored (tcp, ssl, ws, wss and api are known)");
        }
    }

    @Test
    void onlyNonTcpListenersMeansNoTcpListenerAndNoDefault() {
        assertThat(listeners("listener.ssl.external", "8883")).extracting(ListenerSettings::id)
                .containsExactly("ssl.external");
    }

    @Test
    void noListenerKeyAtAllMeansTheDefaultExternalListener() {
        assertThat(listeners("mqtt.allow_anonymous", "true")).containsExactly(ListenerBlocks.DEFAULT);
    }

    @Test
    void aBlockWithoutItsAddressLineNamesTheFirstOfItsKeys(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("emq.conf");
        Files.writeString(file, "listener.tcp.external = 1883\nlistener.tcp.extrenal.acceptors = 8\n");

        assertThatThrownBy(() -> BrokerSettings.from(ConfFile.load(file)))
                .hasMessage(file + ":2: listener.tcp.extrenal.acceptors: expected a line "
                        + "\"listener.tcp.extrenal = [host:]port\" that opens this listener, got \"8\"");
    }

    @Test
    void aTcpLineWithoutANameIsAnError() {
        assertThatThrownBy(() -> listeners("listener.tcp", "1883"))
                .hasMessage("<settings>: listener.tcp: expected a name: listener.tcp.<name> = [host:]port, "
                        + "got \"1883\"");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "acceptors   | 0     | an integer from 1 to 1024",
            "max_clients | 0     | an integer of at least 1",
            "backlog     | lots  | an integer",
            "nodelay     | yes   | on, off, true or false",
            "sndbuf      | 2GB   | a size up to 1GB",
            "recbuf      | big   | a size such as 64KB",
    })
    void badOptionsNameTheirKey(String option, String value, String expected) {
        String key = "listener.tcp.external." + option;
        assertThatThrownBy(() -> listeners("listener.tcp.external", "1883", key, value))
                .hasMessage("<settings>: " + key + ": expected " + expected + ", got \"" + value + "\"");
    }
}
