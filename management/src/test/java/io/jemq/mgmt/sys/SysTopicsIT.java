package io.jemq.mgmt.sys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAck;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import io.jemq.api.AuthResult;
import io.jemq.api.Authenticator;
import io.jemq.api.SourceUnavailableException;
import io.jemq.sys.Stat;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A {@code $SYS/#} subscriber allowed by the shipped acl.conf (localhost) sees the whole tree of REFERENCE 2.10 at a
 * short interval, with EMQ's payload forms; counters move by exactly what was sent; presence, alarms and sysmon
 * arrive as they happen; a client from another address is refused {@code $SYS/#}.
 */
class SysTopicsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NODE = "jemq@127.0.0.1";
    private static final String PREFIX = "$SYS/brokers/" + NODE + "/";

    private static EmbeddedBroker broker;
    private static Mqtt3AsyncClient sys;
    private static final Map<String, List<String>> SEEN = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedBroker.builder()
                .acl(Files.readString(Path.of("../etc/acl.conf")))          // the shipped rules
                .set("mqtt.broker.sys_interval", "500ms", "sysmon.long_schedule", "150", "sysmon.long_gc", "1")
                .start();
        sys = Mqtt3Client.builder().identifier("sys-watcher").serverHost("127.0.0.1").serverPort(broker.port())
                .buildAsync();
        sys.connect().get(5, TimeUnit.SECONDS);
        sys.publishes(MqttGlobalPublishFilter.ALL, p -> SEEN.computeIfAbsent(p.getTopic().toString(),
                t -> new CopyOnWriteArrayList<>()).add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)));
        Mqtt3SubAck ack = sys.subscribeWith().topicFilter("$SYS/#").qos(MqttQos.AT_LEAST_ONCE).send()
                .get(5, TimeUnit.SECONDS);
        assertThat(ack.getReturnCodes()).containsExactly(Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_1);
    }

    @AfterAll
    static void stop() {
        sys.disconnect();
        broker.close();
    }

    private static String latest(String path) {
        List<String> values = SEEN.get(PREFIX + path);
        return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
    }

    @Test
    void theWholeTreeArrivesWithEmqsPayloadForms() {
        List<String> metrics = List.of("bytes/received", "bytes/sent", "packets/received", "packets/sent",
                "packets/connect", "packets/connack", "packets/publish/received", "packets/publish/sent",
                "packets/subscribe", "packets/suback", "packets/unsubscribe", "packets/unsuback", "packets/pingreq",
                "packets/pingresp", "packets/disconnect", "messages/received", "messages/sent", "messages/dropped",
                "messages/retained", "messages/qos0/received", "messages/qos0/sent", "messages/qos1/received",
                "messages/qos1/sent", "messages/qos2/received", "messages/qos2/sent", "messages/qos2/dropped");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(SEEN.get("$SYS/brokers")).contains(NODE);
            assertThat(latest("version")).matches("\\d+\\.\\d+\\.\\d+.*");
            assertThat(latest("sysdescr")).startsWith("jemq");
            assertThat(latest("uptime")).matches("\\d+ seconds|\\d+ minutes, \\d+ seconds");
            assertThat(latest("datetime")).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
            for (Stat s : Stat.values()) {
                assertThat(latest("stats/" + s.countPath())).as(s.countPath()).matches("\\d+");
                assertThat(latest("stats/" + s.maxPath())).as(s.maxPath()).matches("\\d+");
            }
            for (String m : metrics) {
                assertThat(latest("metrics/" + m)).as(m).matches("\\d+");
            }
            for (String ack : List.of("puback", "pubrec", "pubrel", "pubcomp")) {
                for (String way : List.of("received", "sent", "missed")) {
                    assertThat(latest("metrics/packets/" + ack + "/" + way)).as(ack + "/" + way).matches("\\d+");
                }
            }
        });
        assertThat(latest("stats/clients/count")).isNotEqualTo("0");
    }

    @Test
    void versionSysdescrAndTheNodeListAreRetained() throws Exception {
        await().atMost(Duration.ofSeconds(5)).until(() -> latest("version") != null);
        Mqtt3BlockingClient late = Clients.v3(broker, "late-sys");
        late.connect();
        try (Mqtt3BlockingClient.Mqtt3Publishes p = late.publishes(MqttGlobalPublishFilter.ALL)) {
            late.subscribeWith().topicFilter("$SYS/brokers/+/version").send();
            Mqtt3Publish version = Clients.next(p);
            assertThat(version.isRetain()).isTrue();
            assertThat(Clients.text(version)).isEqualTo(BrokerInfo.version());
        } finally {
            late.disconnect();
        }
    }

    @Test
    void countersMoveByExactlyWhatWasSent() throws Exception {
        Mqtt3BlockingClient publisher = Clients.v3(broker, "counted-publisher");
        publisher.connect();
        try {
            long before = settledValue("metrics/messages/qos2/received");
            long acksBefore = settledValue("metrics/packets/pubcomp/sent");
            for (int i = 0; i < 3; i++) {
                publisher.publishWith().topic("counted/" + i).qos(MqttQos.EXACTLY_ONCE).payload(new byte[]{1}).send();
            }
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(Long.parseLong(latest("metrics/messages/qos2/received"))).isEqualTo(before + 3);
                assertThat(Long.parseLong(latest("metrics/packets/pubcomp/sent"))).isEqualTo(acksBefore + 3);
            });
        } finally {
            publisher.disconnect();
        }
    }

    /** The value once two ticks in a row agree: nothing else in this test class publishes QoS 2. */
    private static long settledValue(String path) {
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            List<String> v = SEEN.get(PREFIX + path);
            return v != null && v.size() >= 2 && v.get(v.size() - 1).equals(v.get(v.size() - 2));
        });
        return Long.parseLong(latest(path));
    }

    @Test
    void presenceSaysWhoConnectedAndWhyTheyLeft() throws Exception {
        Mqtt3BlockingClient c = Clients.connect3(broker.port(), "presence-1", "pat", null);
        c.disconnect();
        await().atMost(Duration.ofSeconds(5)).until(() -> latest("clients/presence-1/disconnected") != null);
        JsonNode connected = JSON.readTree(latest("clients/presence-1/connected"));
        assertThat(fieldNames(connected)).containsExactly("clientid", "username", "ipaddress", "clean_sess",
                "protocol", "connack", "ts");
        assertThat(connected.get("clientid").asText()).isEqualTo("presence-1");
        assertThat(connected.get("username").asText()).isEqualTo("pat");
        assertThat(connected.get("ipaddress").asText()).isEqualTo("127.0.0.1");
        assertThat(connected.get("clean_sess").asBoolean()).isTrue();
        assertThat(connected.get("protocol").asInt()).isEqualTo(4);
        assertThat(connected.get("connack").asInt()).isZero();
        assertThat(connected.get("ts").asLong()).isCloseTo(System.currentTimeMillis() / 1000,
                Offset.offset(10L));
        JsonNode disconnected = JSON.readTree(latest("clients/presence-1/disconnected"));
        assertThat(fieldNames(disconnected)).containsExactly("clientid", "username", "reason", "ts");
        assertThat(disconnected.get("reason").asText()).isEqualTo("normal");
        assertThat(disconnected.get("username").asText()).isEqualTo("pat");
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void anAuthBackendThatIsDownRaisesAnAlarmThatClearsWhenItAnswers() throws Exception {
        AtomicBoolean down = new AtomicBoolean(true);
        Authenticator flaky = new Authenticator() {
            @Override
            public String name() {
                return "flaky_backend";
            }

            @Override
            public CompletableFuture<AuthResult> authenticate(io.jemq.api.ClientInfo client, byte[] password) {
                return down.get()
                        ? CompletableFuture.failedFuture(new SourceUnavailableException(name(), "connection refused"))
                        : CompletableFuture.completedFuture(AuthResult.IGNORE);
            }
        };
        broker.broker().auth().setSources(List.of(flaky));
        try {
            assertThat(Clients.connack3(broker.port(), "during-outage", null, null)).isEqualTo(3);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> latest("alarms/auth_source_down_flaky_backend/alert") != null);
            JsonNode alert = JSON.readTree(latest("alarms/auth_source_down_flaky_backend/alert"));
            assertThat(fieldNames(alert)).containsExactly("id", "severity", "title", "summary", "ts");
            assertThat(alert.get("summary").asText()).contains("flaky_backend", "connection refused");

            down.set(false);
            assertThat(Clients.connack3(broker.port(), "after-outage", null, null)).isZero();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> latest("alarms/auth_source_down_flaky_backend/clear") != null);
            JsonNode clear = JSON.readTree(latest("alarms/auth_source_down_flaky_backend/clear"));
            assertThat(fieldNames(clear)).containsExactly("id", "ts");
        } finally {
            broker.broker().auth().setSources(List.of());
        }
    }

    @Test
    void aBusyEventLoopAndAGcPauseAreReportedAsSysmonWarnings() {
        broker.broker().listeners().eventLoops().next().execute(() -> {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400);
            while (System.nanoTime() < end) {
                Thread.onSpinWait();       // one task holding its loop, as a blocking call would
            }
        });
        System.gc();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(latest("sysmon/long_schedule")).startsWith("long_schedule warning: thread = jemq-io-")
                    .contains("busy with one task for");
            assertThat(latest("sysmon/long_gc")).startsWith("long_gc warning: gc = ").contains("duration=");
        });
    }

    @Test
    void aClientFromAnotherAddressIsRefusedSysUnlessItIsTheDashboardUser() throws Exception {
        InetAddress other = InetAddress.getByName("127.0.0.2");
        Mqtt3BlockingClient outsider = Mqtt3Client.builder().identifier("outsider").serverHost("127.0.0.1")
                .serverPort(broker.port()).transportConfig().localAddress(other).applyTransportConfig()
                .buildBlocking();
        outsider.connect();
        try {
            assertThatThrownBy(() -> outsider.subscribeWith().topicFilter("$SYS/#").send())
                    .isInstanceOfSatisfying(Mqtt3SubAckException.class, e -> assertThat(e.getMqttMessage()
                            .getReturnCodes()).containsExactly(Mqtt3SubAckReturnCode.FAILURE));
        } finally {
            outsider.disconnect();
        }
        Mqtt3BlockingClient dashboard = Mqtt3Client.builder().identifier("dash").serverHost("127.0.0.1")
                .serverPort(broker.port()).transportConfig().localAddress(other).applyTransportConfig()
                .simpleAuth().username("dashboard").applySimpleAuth().buildBlocking();
        dashboard.connect();
        try {
            assertThat(dashboard.subscribeWith().topicFilter("$SYS/#").qos(MqttQos.AT_LEAST_ONCE).send()
                    .getReturnCodes()).containsExactly(Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_1);
        } finally {
            dashboard.disconnect();
        }
    }
}
