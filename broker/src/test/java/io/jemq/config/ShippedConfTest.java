package io.jemq.config;

import io.jemq.testkit.LogCapture;
import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The etc/emq.conf we ship loads cleanly and says what the defaults are. */
class ShippedConfTest {
    private static final Path SHIPPED = Path.of("../etc/emq.conf");

    @Test
    void yieldsTheDocumentedDefaultsWithoutAnyWarning() {
        try (LogCapture log = new LogCapture("io.jemq.config")) {
            BrokerSettings shipped = BrokerSettings.from(ConfFile.load(SHIPPED));
            BrokerSettings defaults = BrokerSettings.defaults();

            assertThat(shipped.nodeName()).isEqualTo(defaults.nodeName());
            assertThat(shipped.mqtt()).isEqualTo(defaults.mqtt());
            assertThat(shipped.session()).isEqualTo(defaults.session());
            assertThat(shipped.mqueue()).isEqualTo(defaults.mqueue());
            assertThat(shipped.retainer()).isEqualTo(defaults.retainer());
            assertThat(shipped.sharedStrategy()).isEqualTo(defaults.sharedStrategy());
            assertThat(shipped.sysInterval()).isEqualTo(defaults.sysInterval());
            assertThat(shipped.listeners()).extracting(ListenerSettings::id, ListenerSettings::port).containsExactly(
                    tuple("tcp.external", 1883), tuple("tcp.internal", 11883), tuple("ssl.external", 8883),
                    tuple("ws.external", 8083), tuple("wss.external", 8084));
            assertThat(shipped.listeners().get(0)).isEqualTo(
                    new ListenerSettings("tcp", "external", "0.0.0.0", 1883, 16, 102400, 1024, true, 0, 0));
            assertThat(shipped.listeners().get(1).sendTimeout()).isEqualTo(Duration.ofSeconds(5));
            TlsSettings tls = shipped.listeners().get(2).tls().orElseThrow();
            assertThat(tls.keyfile()).isEqualTo(Path.of("etc/certs/key.pem"));
            assertThat(tls.certfile()).isEqualTo(Path.of("etc/certs/cert.pem"));
            assertThat(tls.verifyPeer()).isFalse();
            assertThat(shipped.listeners().get(3).webSocket().orElseThrow().path()).isEqualTo("/mqtt");
            assertThat(shipped.listeners().get(4).tls()).isPresent();
            assertThat(shipped.listeners().get(4).maxClients()).isEqualTo(64);
            assertThat(log.messages(Level.WARN)).isEmpty();
            assertThat(log.messages(Level.INFO)).isEmpty();
        }
    }

    @Test
    void everyKeyItMentionsEvenCommentedOutIsKnown() throws IOException {
        Pattern setting = Pattern.compile("^#*\\s*([a-z][\\w.]*\\.[\\w.]+)\\s*=");
        List<String> keys = Files.readAllLines(SHIPPED).stream()
                .map(setting::matcher).filter(Matcher::find).map(m -> m.group(1)).toList();

        assertThat(keys).hasSizeGreaterThan(80).allSatisfy(key -> assertThat(KnownKeys.isKnown(key)).isTrue());
        assertThat(keys).contains("mqtt.max_topic_alias", "mqtt.server_keepalive", "mqtt.max_keepalive",
                "mqtt.max_topic_levels");
    }

    @Test
    void templatesResolveToTheRunnableLayout() {
        ConfFile conf = ConfFile.load(SHIPPED);

        assertThat(conf.find("mqtt.acl_file")).hasValue("etc/acl.conf");
        assertThat(conf.find("mqtt.plugins.loaded_file")).hasValue("data/loaded_plugins");
    }
}
