package io.jemq.config;

import io.jemq.testkit.LogCapture;
import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class KnownKeysTest {
    @Test
    void warnsOncePerUnknownKeyWithItsLineAndDoesNotFail(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("emq.conf");
        Files.writeString(file, String.join("\n",
                "mqtt.max_packet_sise = 1MB",
                "mqtt.allow_anonymous = false",
                "zone.external.idle_timeout = 15s",
                "zone.external.idle_timeout = 20s",
                "listener.tcp.external = 127.0.0.1:0",
                "auth.mysql.server = 127.0.0.1:3306",
                "plugins.emq_auth_http = on",
                "cluster.name = jemqcl",
                "retainer.storage_type = ram",
                "mqtt.acl_cache.ttl = 1m"));

        try (LogCapture log = new LogCapture("io.jemq.config")) {
            BrokerSettings settings = BrokerSettings.from(ConfFile.load(file));

            assertThat(settings.mqtt().maxPacketSize()).isEqualTo(64 * 1024);
            assertThat(settings.mqtt().allowAnonymous()).isFalse();
            assertThat(log.messages(Level.WARN)).containsExactly(
                    file + ":1: unknown key mqtt.max_packet_sise, ignored (did you mean mqtt.max_packet_size?)",
                    file + ":4: unknown key zone.external.idle_timeout, ignored");
        }
    }

    @Test
    void emqKeysWithoutMeaningInJemqAreOneInfoLine() {
        ConfFile conf = ConfFile.of(Map.of()).with("node.smp", "auto").with("log.console.level", "error");

        try (LogCapture log = new LogCapture("io.jemq.config")) {
            BrokerSettings.from(conf);

            assertThat(log.messages(Level.WARN)).isEmpty();
            assertThat(log.messages(Level.INFO)).containsExactly("Ignoring 2 EMQ setting(s) that have no effect "
                    + "in jemq: node.smp (--set), log.console.level (--set)");
        }
    }

    @Test
    void prefixesCoverTheFamiliesThatLaterPartsRead() {
        assertThat(KnownKeys.isKnown("listener.tcp.anything.acceptors")).isTrue();
        assertThat(KnownKeys.isKnown("auth.user.1.username")).isTrue();
        assertThat(KnownKeys.isKnown("mqtt.acl_nomatch")).isTrue();
        assertThat(KnownKeys.isKnown("mqtt.max_packet_sise")).isFalse();
        assertThat(KnownKeys.KEYS).doesNotContainAnyElementsOf(KnownKeys.EMQ_ONLY);
    }

    @Test
    void eachSettingsClassDeclaresTheKeysItReads() {
        assertThat(KnownKeys.KEYS).contains("mqtt.max_packet_size", "mqtt.session.max_inflight", "node.data_dir",
                "node.ctl_socket", "mqtt.budget.reads", "broker.shared_subscription_strategy");
        assertThat(KnownKeys.PREFIXES).contains("listener.", "retainer.", "mqtt.acl");
    }

    @Test
    void aModuleOutsideTheCoreAddsItsKeysThroughServiceLoader() {
        // ModuleKeys is listed in this module's test resources, as a management or cluster module lists its own
        assertThat(KnownKeys.isKnown("management.listener.http")).isTrue();
        assertThat(KnownKeys.isKnown("dashboard.default_user.login")).isTrue();
        assertThat(KnownKeys.isKnown("dashboard.listener.htp")).isFalse();
    }

    /** The keys a module outside the core would declare. */
    public static final class ModuleKeys implements ConfigKeys.Source {
        @Override
        public ConfigKeys configKeys() {
            return ConfigKeys.of("management.listener.http").withPrefixes("dashboard.default_user.");
        }
    }
}
