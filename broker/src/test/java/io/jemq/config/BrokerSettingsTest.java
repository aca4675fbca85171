package io.jemq.config;

import io.jemq.api.ConfigException;
import io.jemq.testkit.LogCapture;
import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BrokerSettingsTest {
    private static BrokerSettings settings(String key, String value) {
        return BrokerSettings.from(ConfFile.of(Map.of(key, value)));
    }

    @Test
    void defaultsAreEmqsAsTheRecordsDocumentThem() {
        BrokerSettings s = BrokerSettings.defaults();

        assertThat(s.nodeName()).isEqualTo("jemq@127.0.0.1");
        assertThat(s.mqtt()).isEqualTo(new MqttSettings(64 * 1024, 1024, 128, 65535, 0.75, Duration.ZERO,
                Duration.ZERO, Duration.ofSeconds(30), true));
        assertThat(s.session()).isEqualTo(new SessionSettings(10_000, false, 32, Duration.ofSeconds(20), 1000,
                Duration.ofSeconds(30), Duration.ofHours(2), false));
        assertThat(s.mqueue()).isEqualTo(new QueueSettings(1000, true, 0.6, 0.2, Duration.ofMillis(100),
                Duration.ofMillis(500), 16L * 1024 * 1024));
        assertThat(s.retainer()).isEqualTo(new RetainerSettings(1_000_000, 64 * 1024, Duration.ZERO));
        assertThat(s.budgets()).isEqualTo(new BudgetSettings(new BudgetSettings.Share(0.10, 0),
                new BudgetSettings.Share(0.10, 0), new BudgetSettings.Share(0.30, 0),
                new BudgetSettings.Share(0.25, 0)));
        assertThat(settings("mqtt.budget.queues", "256MB").budgets().queues().of(1L << 40))
                .as("a size is a size, whatever the heap").isEqualTo(256L << 20);
        assertThat(settings("mqtt.budget.queues", "50%").budgets().queues().of(1000)).isEqualTo(500);
        assertThat(s.sharedStrategy()).isEqualTo(SharedStrategy.RANDOM);
        assertThat(s.sysInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.listeners()).containsExactly(
                new ListenerSettings("tcp", "external", "0.0.0.0", 1883, 16, 102400, 1024, true, 0, 0));
    }

    @Test
    void everyKeyTheCoreUsesIsReadAndKnown() {
        ConfFile conf = ConfFile.of(Map.ofEntries(
                Map.entry("node.name", "edge@10.0.0.7"),
                Map.entry("mqtt.max_packet_size", "1MB"),
                Map.entry("mqtt.max_clientid_len", "64"),
                Map.entry("mqtt.max_topic_levels", "0"),
                Map.entry("mqtt.max_topic_alias", "10"),
                Map.entry("mqtt.keepalive_backoff", "1"),
                Map.entry("mqtt.server_keepalive", "1m"),
                Map.entry("mqtt.max_keepalive", "300"),
                Map.entry("mqtt.client.idle_timeout", "5s"),
                Map.entry("mqtt.allow_anonymous", "off"),
                Map.entry("mqtt.session.max_subscriptions", "10"),
                Map.entry("mqtt.session.upgrade_qos", "on"),
                Map.entry("mqtt.session.max_inflight", "100"),
                Map.entry("mqtt.session.retry_interval", "200ms"),
                Map.entry("mqtt.session.max_awaiting_rel", "50"),
                Map.entry("mqtt.session.await_rel_timeout", "1m"),
                Map.entry("mqtt.session.expiry_interval", "1d"),
                Map.entry("mqtt.session.ignore_loop_deliver", "true"),
                Map.entry("mqtt.mqueue.max_length", "0"),
                Map.entry("mqtt.mqueue.store_qos0", "false"),
                Map.entry("mqtt.mqueue.high_watermark", "80%"),
                Map.entry("mqtt.mqueue.low_watermark", "10%"),
                Map.entry("mqtt.mqueue.max_pause", "250ms"),
                Map.entry("retainer.max_message_num", "5000000000"),
                Map.entry("retainer.max_payload_size", "1MB"),
                Map.entry("retainer.expiry_interval", "7d"),
                Map.entry("broker.shared_subscription_strategy", "round_robin"),
                Map.entry("mqtt.broker.sys_interval", "60")));
        BrokerSettings s;
        try (LogCapture log = new LogCapture("io.jemq.config")) {
            s = BrokerSettings.from(conf);
            assertThat(log.messages(Level.WARN)).isEmpty();
        }

        assertThat(s.nodeName()).isEqualTo("edge@10.0.0.7");
        assertThat(s.mqtt()).isEqualTo(new MqttSettings(1024 * 1024, 64, 0, 10, 1.0, Duration.ofMinutes(1),
                Duration.ofMinutes(5), Duration.ofSeconds(5), false));
        assertThat(s.session()).isEqualTo(new SessionSettings(10, true, 100, Duration.ofMillis(200), 50,
                Duration.ofMinutes(1), Duration.ofDays(1), true));
        assertThat(s.mqueue()).isEqualTo(new QueueSettings(0, false, 0.8, 0.1, Duration.ofMillis(250),
                Duration.ofMillis(500), 16L * 1024 * 1024));
        assertThat(s.retainer()).isEqualTo(new RetainerSettings(5_000_000_000L, 1024 * 1024, Duration.ofDays(7)));
        assertThat(s.sharedStrategy()).isEqualTo(SharedStrategy.ROUND_ROBIN);
        assertThat(s.sysInterval()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void emqsZeroMeansNoLimitForTheQosWindowsIsTheMostPacketIdsAllow() {
        assertThat(settings("mqtt.session.max_inflight", "0").session().maxInflight()).isEqualTo(65535);
        assertThat(settings("mqtt.session.max_awaiting_rel", "0").session().maxAwaitingRel()).isEqualTo(65535);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "mqtt.max_packet_size           | 0         | a size from 1B to 256MB",
            "mqtt.max_packet_size           | 1GB       | a size from 1B to 256MB",
            "mqtt.max_packet_size           | lots      | a size such as 64KB",
            "mqtt.max_clientid_len          | 0         | an integer from 1 to 65535",
            "mqtt.max_topic_alias           | 65536     | an integer from 0 to 65535",
            "mqtt.keepalive_backoff         | 0.25      | a number from 0.5 to 10.0",
            "mqtt.server_keepalive          | 1d        | a duration up to 65535s",
            "mqtt.max_keepalive             | 65536     | a duration up to 65535s",
            "mqtt.max_keepalive             | 500ms     | whole seconds such as 30s (0 = off)",
            "mqtt.server_keepalive          | 1s500ms   | whole seconds such as 30s (0 = off)",
            "mqtt.client.idle_timeout       | 0         | a duration of at least 1ms",
            "mqtt.allow_anonymous           | maybe     | on, off, true or false",
            "mqtt.session.max_inflight      | 70000     | an integer from 0 to 65535",
            "mqtt.session.max_inflight      | -1        | an integer from 0 to 65535",
            "mqtt.session.retry_interval    | 0s        | a duration of at least 1ms",
            "mqtt.session.max_subscriptions | -1        | an integer of at least 0",
            "mqtt.mqueue.max_length         | infinity  | an integer",
            "mqtt.mqueue.max_pause          | 10s       | a duration up to 5s",
            "retainer.max_message_num       | -1        | an integer of at least 0",
            "mqtt.budget.queues             | lots      | a percentage such as 10% or a size such as 64MB",
            "mqtt.budget.reads              | 120%      | a percentage such as 10% or a size such as 64MB",
            "mqtt.mqueue.max_bytes          | big       | a size such as 64KB",
            "mqtt.broker.sys_interval       | often     | a duration such as 30s",
            "broker.shared_subscription_strategy | local | one of random, round_robin, sticky, hash",
            "node.name                      | jemq      | a node name such as jemq@127.0.0.1",
            "node.name                      | a/b@host  | a node name such as jemq@127.0.0.1",
            "node.name                      | a@b@c     | a node name such as jemq@127.0.0.1",
    })
    void rejectsBadValuesNamingTheKey(String key, String value, String expected) {
        assertThatThrownBy(() -> settings(key, value))
                .isInstanceOf(ConfigException.class)
                .hasMessage("<settings>: " + key + ": expected " + expected + ", got \"" + value + "\"");
    }
}
