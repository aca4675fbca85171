package io.jemq.it;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserPropertiesBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishBuilder;
import io.jemq.session.Session;
import io.jemq.testkit.Cli;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import io.jemq.testkit.Tools;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.jemq.it.Conformance.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * MQTT 5.0 User Properties on a PUBLISH reach subscribers whichever client library sent them and whichever receives
 * them: "The Server MUST send all User Properties unaltered in a PUBLISH packet when forwarding the Application Message
 * to a Client [MQTT-3.3.2-17]. The Server MUST maintain the order of User Properties when forwarding the Application
 * Message [MQTT-3.3.2-18]." Publishers HiveMQ, Paho v5 and mosquitto_pub; subscribers HiveMQ, Paho v5 and
 * mosquitto_sub (the mosquitto pairs are skipped where the clients are not installed). One broker for the class;
 * every test has its own topic and client ids.
 */
@DisplayName("MQTT 5.0 PUBLISH properties forwarded between client libraries")
class PublishPropertiesForwardingIT {
    private static EmbeddedBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    enum Library { HIVEMQ, PAHO, MOSQUITTO }

    /** What a publisher sends: User Properties in order, and the other properties a PUBLISH forwards (or none). */
    record Sent(int qos, List<String[]> user, boolean utf8Payload, String contentType, String responseTopic,
                String correlation, Long expiry) {
        static Sent userOnly(int qos, String... keyValues) {
            List<String[]> user = new ArrayList<>();
            for (int i = 0; i < keyValues.length; i += 2) {
                user.add(new String[]{keyValues[i], keyValues[i + 1]});
            }
            return new Sent(qos, user, false, null, null, null, null);
        }

        List<String> userAsText() {
            return user.stream().map(kv -> kv[0] + "=" + kv[1]).toList();
        }
    }

    /** What a subscriber got, in one shape for all three libraries; null for an absent property. */
    record Got(String payload, int qos, List<String> user, Integer payloadFormat, String contentType,
               String responseTopic, String correlation, Long expiry) {
    }

    enum Case {
        USER_ALONE_QOS0("MQTT-3.3.2-17 a User Property as the only property, QoS 0", Sent.userOnly(0, "k", "v")),
        USER_ALONE_QOS1("MQTT-3.3.2-17 a User Property as the only property, QoS 1", Sent.userOnly(1, "k", "v")),
        USER_ALONE_QOS2("MQTT-3.3.2-17 a User Property as the only property, QoS 2", Sent.userOnly(2, "k", "v")),
        SAME_NAME_TWICE("MQTT-3.3.2-18 two User Properties with the same name, the only properties, in order",
                Sent.userOnly(1, "k", "v1", "k", "v2")),
        ALL_TOGETHER("MQTT-3.3.2-4 -6 -15 -16 -17 -18 -20 every forwarded property together",
                new Sent(1, Sent.userOnly(1, "k", "v1", "other", "x", "k", "v2").user(), true, "application/json",
                        "reply/to", "corr-42", 300L));

        final String description;
        final Sent sent;

        Case(String description, Sent sent) {
            this.description = description;
            this.sent = sent;
        }

        @Override
        public String toString() {
            return description;
        }
    }

    static Stream<Arguments> pairs() {
        List<Arguments> out = new ArrayList<>();
        for (Case c : Case.values()) {
            for (Library from : Library.values()) {
                for (Library to : Library.values()) {
                    out.add(Arguments.of(c, from, to));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: {1} to {2}")
    @MethodSource("pairs")
    void propertiesReachTheSubscriber(Case c, Library from, Library to) throws Exception {
        if (from == Library.MOSQUITTO || to == Library.MOSQUITTO) {
            assumeTrue(Tools.onPath("mosquitto_pub") && Tools.onPath("mosquitto_sub"),
                    "mosquitto clients not installed");
        }
        String topic = unique("props") + "/" + from + "-to-" + to;
        String payload = "{\"case\":\"" + c.name() + "\"}";
        Sent sent = c.sent;
        long start = System.nanoTime();
        Got got;
        try (Subscriber sub = subscriber(to, topic)) {
            publish(from, topic, payload, sent);
            got = sub.next();
        }
        long waitedSeconds = (System.nanoTime() - start) / 1_000_000_000L + 1;

        assertThat(got.payload()).isEqualTo(payload);
        assertThat(got.qos()).as("delivered QoS").isEqualTo(sent.qos());
        assertThat(got.user()).as("User Properties, in order [MQTT-3.3.2-17, MQTT-3.3.2-18]")
                .containsExactlyElementsOf(sent.userAsText());
        assertThat(got.payloadFormat()).as("Payload Format Indicator [MQTT-3.3.2-4]")
                .isEqualTo(sent.utf8Payload() ? Integer.valueOf(1) : null);
        assertThat(got.contentType()).as("Content Type [MQTT-3.3.2-20]").isEqualTo(sent.contentType());
        assertThat(got.responseTopic()).as("Response Topic [MQTT-3.3.2-15]").isEqualTo(sent.responseTopic());
        assertThat(got.correlation()).as("Correlation Data [MQTT-3.3.2-16]").isEqualTo(sent.correlation());
        if (sent.expiry() == null) {
            assertThat(got.expiry()).as("Message Expiry Interval").isNull();
        } else {
            assertThat(got.expiry()).as("Message Expiry Interval: the time left [MQTT-3.3.2-6]")
                    .isBetween(sent.expiry() - waitedSeconds, sent.expiry());
        }
    }

    // ---------------------------------------------------------------- publishers

    private static void publish(Library lib, String topic, String payload, Sent s) throws Exception {
        switch (lib) {
            case HIVEMQ -> hivemqPublish(topic, payload, s);
            case PAHO -> pahoPublish(topic, payload, s);
            case MOSQUITTO -> mosquittoPublish(topic, payload, s);
            default -> throw new IllegalArgumentException(lib.toString());
        }
    }

    private static void hivemqPublish(String topic, String payload, Sent s) {
        Mqtt5UserPropertiesBuilder users = Mqtt5UserProperties.builder();
        for (String[] kv : s.user()) {
            users.add(kv[0], kv[1]);
        }
        Mqtt5PublishBuilder.Complete p = Mqtt5Publish.builder().topic(topic).qos(MqttQos.fromCode(s.qos()))
                .payload(payload.getBytes(StandardCharsets.UTF_8)).userProperties(users.build());
        if (s.utf8Payload()) {
            p.payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8);
        }
        if (s.contentType() != null) {
            p.contentType(s.contentType());
        }
        if (s.responseTopic() != null) {
            p.responseTopic(s.responseTopic());
        }
        if (s.correlation() != null) {
            p.correlationData(s.correlation().getBytes(StandardCharsets.UTF_8));
        }
        if (s.expiry() != null) {
            p.messageExpiryInterval(s.expiry());
        }
        Mqtt5BlockingClient c = Clients.v5(broker, unique("hivemq-pub"));
        c.connect();
        try {
            c.publish(p.build());                               // QoS 1 and 2: returns once acknowledged
        } finally {
            c.disconnect();
        }
    }

    private static void pahoPublish(String topic, String payload, Sent s) throws Exception {
        MqttClient c = new MqttClient(uri(), unique("paho-pub"), new MemoryPersistence());
        c.connect(pahoOptions());
        try {
            MqttProperties props = new MqttProperties();
            List<UserProperty> users = new ArrayList<>();
            for (String[] kv : s.user()) {
                users.add(new UserProperty(kv[0], kv[1]));
            }
            props.setUserProperties(users);
            if (s.utf8Payload()) {
                props.setPayloadFormat(true);
            }
            props.setContentType(s.contentType());
            props.setResponseTopic(s.responseTopic());
            if (s.correlation() != null) {
                props.setCorrelationData(s.correlation().getBytes(StandardCharsets.UTF_8));
            }
            props.setMessageExpiryInterval(s.expiry());
            MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8), s.qos(), false, props);
            c.publish(topic, m);                                // synchronous: returns once the flow completed
        } finally {
            c.disconnect();
            c.close();
        }
    }

    private static void mosquittoPublish(String topic, String payload, Sent s) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", port(), "-V", "mqttv5",
                "-i", unique("mosq-pub"), "-q", String.valueOf(s.qos()), "-t", topic, "-m", payload));
        for (String[] kv : s.user()) {
            cmd.addAll(List.of("-D", "publish", "user-property", kv[0], kv[1]));
        }
        if (s.utf8Payload()) {
            cmd.addAll(List.of("-D", "publish", "payload-format-indicator", "1"));
        }
        if (s.contentType() != null) {
            cmd.addAll(List.of("-D", "publish", "content-type", s.contentType()));
        }
        if (s.responseTopic() != null) {
            cmd.addAll(List.of("-D", "publish", "response-topic", s.responseTopic()));
        }
        if (s.correlation() != null) {
            cmd.addAll(List.of("-D", "publish", "correlation-data", s.correlation()));
        }
        if (s.expiry() != null) {
            cmd.addAll(List.of("-D", "publish", "message-expiry-interval", String.valueOf(s.expiry())));
        }
        try (Cli pub = Cli.start(cmd)) {
            assertThat(pub.exitCode()).as("mosquitto_pub exit code; output: " + pub.output()).isZero();
        }
    }

    // ---------------------------------------------------------------- subscribers

    /** Subscribed at QoS 2 (so a message arrives at the QoS it was published with) before it is returned. */
    interface Subscriber extends AutoCloseable {
        Got next() throws Exception;

        @Override
        void close() throws Exception;
    }

    private static Subscriber subscriber(Library lib, String topic) throws Exception {
        return switch (lib) {
            case HIVEMQ -> hivemqSubscriber(topic);
            case PAHO -> pahoSubscriber(topic);
            case MOSQUITTO -> mosquittoSubscriber(topic);
        };
    }

    private static Subscriber hivemqSubscriber(String topic) {
        Mqtt5BlockingClient c = Clients.v5(broker, unique("hivemq-sub"));
        c.connect();
        Mqtt5BlockingClient.Mqtt5Publishes publishes = c.publishes(MqttGlobalPublishFilter.ALL);
        c.subscribeWith().topicFilter(topic).qos(MqttQos.EXACTLY_ONCE).send();
        return new Subscriber() {
            @Override
            public Got next() throws InterruptedException {
                Optional<Mqtt5Publish> m = publishes.receive(Clients.WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(m).as("a message at the HiveMQ subscriber within " + Clients.WAIT).isPresent();
                Mqtt5Publish p = m.get();
                return new Got(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8), p.getQos().getCode(),
                        p.getUserProperties().asList().stream().map(u -> u.getName() + "=" + u.getValue()).toList(),
                        p.getPayloadFormatIndicator().map(f -> f == Mqtt5PayloadFormatIndicator.UTF_8 ? 1 : 0)
                                .orElse(null),
                        p.getContentType().map(Object::toString).orElse(null),
                        p.getResponseTopic().map(Object::toString).orElse(null),
                        p.getCorrelationData().map(PublishPropertiesForwardingIT::text).orElse(null),
                        p.getMessageExpiryInterval().isPresent() ? p.getMessageExpiryInterval().getAsLong() : null);
            }

            @Override
            public void close() {
                publishes.close();
                c.disconnect();
            }
        };
    }

    private static Subscriber pahoSubscriber(String topic) throws Exception {
        MqttClient c = new MqttClient(uri(), unique("paho-sub"), new MemoryPersistence());
        c.connect(pahoOptions());
        BlockingQueue<MqttMessage> got = new LinkedBlockingQueue<>();
        IMqttMessageListener listener = (t, m) -> got.add(m);
        // returns once the SUBACK is in
        c.subscribe(new MqttSubscription[]{new MqttSubscription(topic, 2)}, new IMqttMessageListener[]{listener});
        return new Subscriber() {
            @Override
            public Got next() throws InterruptedException {
                MqttMessage m = got.poll(Clients.WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(m).as("a message at the Paho subscriber within " + Clients.WAIT).isNotNull();
                MqttProperties p = m.getProperties();
                // Paho reads an absent Payload Format Indicator as false: the tests never send 0
                return new Got(new String(m.getPayload(), StandardCharsets.UTF_8), m.getQos(),
                        p.getUserProperties().stream().map(u -> u.getKey() + "=" + u.getValue()).toList(),
                        p.getPayloadFormat() ? 1 : null, p.getContentType(), p.getResponseTopic(),
                        p.getCorrelationData() == null ? null
                                : new String(p.getCorrelationData(), StandardCharsets.UTF_8),
                        p.getMessageExpiryInterval());
            }

            @Override
            public void close() throws Exception {
                c.disconnect();
                c.close();
            }
        };
    }

    /** Marks the line mosquitto_sub prints per message, among anything else it may say. */
    private static final String LINE = "MSG|";

    private static Subscriber mosquittoSubscriber(String topic) throws Exception {
        String clientId = unique("mosq-sub");
        // one line per message, fields separated by |; %P prints the User Properties as "key:value key:value"
        Cli sub = Cli.start(List.of("mosquitto_sub", "-h", "127.0.0.1", "-p", port(), "-V", "mqttv5", "-i",
                clientId, "-q", "2", "-t", topic, "-C", "1", "-W", "10", "-F", LINE + "%q|%P|%F|%C|%R|%D|%E|%p"));
        // its output is block-buffered on a pipe, so ask the broker whether the subscription is in place
        await().atMost(Clients.WAIT).until(() -> {
            Session s = broker.broker().sessions().get(clientId);
            return s != null && s.subscriptionCount() > 0;
        });
        return new Subscriber() {
            @Override
            public Got next() throws InterruptedException {
                String line = sub.awaitLine(l -> l.startsWith(LINE));
                String[] f = line.substring(LINE.length()).split("\\|", 8);
                List<String> user = f[1].isEmpty() ? List.of()
                        : Stream.of(f[1].split(" ")).map(kv -> kv.replaceFirst(":", "=")).toList();
                return new Got(f[7], Integer.parseInt(f[0]), user, f[2].isEmpty() ? null : Integer.valueOf(f[2]),
                        emptyToNull(f[3]), emptyToNull(f[4]), emptyToNull(f[5]),
                        f[6].isEmpty() ? null : Long.valueOf(f[6]));
            }

            @Override
            public void close() {
                sub.close();
            }
        };
    }

    // ---------------------------------------------------------------- helpers

    private static MqttConnectionOptions pahoOptions() {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setAutomaticReconnect(false);
        return o;
    }

    private static String uri() {
        return "tcp://127.0.0.1:" + broker.port();
    }

    private static String port() {
        return String.valueOf(broker.port());
    }

    private static String text(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return new String(out, StandardCharsets.UTF_8);
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }
}
