package io.jemq.mgmt.trace;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import io.jemq.ctl.ControlClient;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ctl trace} against a running broker with real clients: a client trace holds that client's packets both ways
 * and nothing of others, whether it was connected before the trace began or connects after; a topic trace holds the
 * messages published to matching topics; payloads are shown safely and cut; off stops writing.
 */
class TraceIT {
    private static final String LINE_START = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} ";

    @TempDir
    static Path dir;
    private static EmbeddedBroker broker;

    @BeforeAll
    static void start() {
        broker = EmbeddedBroker.builder().controlSocket().set("trace.payload_max", "16B").start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static ControlClient.Reply ctl(String... args) {
        return broker.ctl(args);
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    }

    @Test
    void aClientTraceHoldsThatClientsPacketsAndNothingOfOthers() throws Exception {
        Path file = dir.resolve("trace_c1.log");
        Mqtt3BlockingClient other = Clients.v3(broker, "other");
        other.connect();
        other.subscribeWith().topicFilter("shared/#").qos(MqttQos.AT_LEAST_ONCE).send();

        ControlClient.Reply on = ctl("trace", "client", "c1", file.toString());
        assertThat(on.code()).isZero();
        assertThat(on.output()).isEqualTo("trace client c1 successfully.\n");
        assertThat(ctl("trace", "list").output()).isEqualTo("trace client c1 -> " + file + "\n");

        Mqtt3BlockingClient c1 = Clients.connect3(broker.port(), "c1", "alice", "secret");
        c1.subscribeWith().topicFilter("shared/#").qos(MqttQos.AT_LEAST_ONCE).send();
        c1.publishWith().topic("shared/text").qos(MqttQos.AT_LEAST_ONCE)
                .payload("hello".getBytes(StandardCharsets.UTF_8)).send();
        c1.publishWith().topic("shared/binary").qos(MqttQos.AT_MOST_ONCE).payload(new byte[]{0, 1, (byte) 0xff})
                .send();
        c1.publishWith().topic("shared/long").payload("0123456789abcdefghij".getBytes(StandardCharsets.UTF_8))
                .send();
        other.publishWith().topic("other/only").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[]{9}).send();
        c1.disconnect();

        await().atMost(Duration.ofSeconds(5)).until(() -> lines(file).stream()
                .anyMatch(l -> l.contains("RECV DISCONNECT")));
        List<String> lines = lines(file);
        assertThat(lines).allMatch(l -> l.matches(LINE_START + "\\[debug] Client\\(c1@127\\.0\\.0\\.1:\\d+\\): "
                + "(RECV|SEND) .*"));
        String all = String.join("\n", lines);
        assertThat(all).contains("RECV CONNECT(Q0, R0, D0, ClientId=c1, ProtoName=MQTT, ProtoVsn=4, CleanSess=true",
                        "Username=alice, Password=******)")
                .doesNotContain("secret")
                .contains("SEND CONNACK(Q0, R0, D0, AckFlags=0, RetainCode=0)")
                .containsPattern("RECV SUBSCRIBE\\(Q1, R0, D0, PacketId=\\d+, TopicTable=\\[shared/#:1]\\)")
                .containsPattern("SEND SUBACK\\(Q0, R0, D0, PacketId=\\d+, QosTable=\\[1]\\)")
                .contains("RECV PUBLISH(Q1, R0, D0, Topic=shared/text, PacketId=", "Payload=hello)")
                .contains("SEND PUBACK(Q0, R0, D0, PacketId=")
                .contains("RECV PUBLISH(Q0, R0, D0, Topic=shared/binary, Payload=hex:0001ff)")
                .contains("Topic=shared/long, Payload=0123456789abcdef...(20 bytes)")
                .contains("SEND PUBLISH(Q1, R0, D0, Topic=shared/text, PacketId=")
                .contains("RECV DISCONNECT(Q0, R0, D0)")
                .doesNotContain("other/only").doesNotContain("Client(other");
        other.disconnect();
        assertThat(ctl("trace", "client", "c1", "off").output()).isEqualTo("stop tracing client c1 successfully.\n");
    }

    @Test
    void aTraceStartedWhileTheClientIsConnectedSeesItsNextPacketsAndOffStopsIt() throws Exception {
        Path file = dir.resolve("trace_live.log");
        Mqtt3BlockingClient live = Clients.v3(broker, "live");
        live.connect();
        try {
            assertThat(ctl("trace", "client", "live", file.toString()).code()).isZero();
            live.publishWith().topic("live/1").payload(new byte[]{'a'}).send();
            await().atMost(Duration.ofSeconds(5)).until(() -> lines(file).stream()
                    .anyMatch(l -> l.contains("RECV PUBLISH(Q0, R0, D0, Topic=live/1, Payload=a)")));
            assertThat(ctl("trace", "client", "live", "off").code()).isZero();
            int before = lines(file).size();
            live.publishWith().topic("live/2").payload(new byte[]{'b'}).send();
            Mqtt3BlockingClient barrier = Clients.v3(broker, "barrier");
            barrier.connect();
            barrier.disconnect();
            assertThat(lines(file)).hasSize(before).noneMatch(l -> l.contains("live/2"));
            assertThat(ctl("trace", "client", "live", "off").output())
                    .isEqualTo("stop tracing client live error: not_found.\n");
        } finally {
            live.disconnect();
        }
    }

    @Test
    void aTopicTraceHoldsTheMessagesPublishedToMatchingTopics() throws Exception {
        Path file = dir.resolve("trace_topic.log");
        assertThat(ctl("trace", "topic", "sensors/+/temp", file.toString()).output())
                .isEqualTo("trace topic sensors/+/temp successfully.\n");
        Mqtt3BlockingClient p = Clients.v3(broker, "sensor-7");
        p.connect();
        p.publishWith().topic("sensors/kitchen/temp").qos(MqttQos.AT_LEAST_ONCE)
                .payload("21.5".getBytes(StandardCharsets.UTF_8)).send();
        p.publishWith().topic("sensors/kitchen/humidity").payload("40".getBytes(StandardCharsets.UTF_8)).send();
        p.disconnect();
        await().atMost(Duration.ofSeconds(5)).until(() -> !lines(file).isEmpty());
        assertThat(ctl("trace", "topic", "sensors/+/temp", "off").code()).isZero();
        assertThat(lines(file)).singleElement().asString()
                .matches(LINE_START + "\\[info] sensor-7 PUBLISH to sensors/kitchen/temp \\(Q1, R0\\): 21\\.5");
    }

    @Test
    void badRequestsAreRefusedWithEmqsTexts() {
        assertThat(ctl("trace", "client").code()).isEqualTo(2);
        assertThat(ctl("trace", "topic", "a/#/b", "x.log").output())
                .isEqualTo("trace topic a/#/b error: bad topic filter\n");
        ControlClient.Reply badFile = ctl("trace", "client", "x", "/proc/none/trace.log");
        assertThat(badFile.code()).isEqualTo(1);
        assertThat(badFile.output()).startsWith("trace client x error: ");
        assertThat(ctl("trace", "list", "--json").output()).contains("\"traces\" : [ ]");
    }
}
