package io.jemq.listeners;

import ch.qos.logback.classic.Level;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.jemq.api.ClientInfo;
import io.jemq.sys.Counter;
import io.jemq.sys.ListenerCounter;
import io.jemq.testkit.LogCapture;
import io.jemq.testkit.Packet;
import io.jemq.testkit.Packets;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The per-listener controls: max_clients, access rules, mountpoint, rate_limit, send_timeout, PROXY protocol. */
class ListenerControlsIT {

    // ------------------------------------------------------------------------------------------------ max_clients

    @Test
    void maxClientsIsExactUnderChurn() throws Exception {
        try (ListenerBroker b = ListenerBroker.start("listener.tcp.test", "127.0.0.1:0",
                "listener.tcp.test.max_clients", "5")) {
            int port = b.port("tcp.test");
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> churn = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                churn.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        try (Socket s = tryConnect(port, "churn-" + thread + "-" + i)) {
                            // connected or refused; either way it goes away at once
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : churn) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();

            List<Socket> held = new ArrayList<>();
            try {
                // the churned sockets' closes reach the broker a little later: wait until five fit again
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    Socket s = tryConnect(port, "held-" + held.size());
                    if (s != null) {
                        held.add(s);
                    }
                    return held.size() == 5;
                });
                assertThat(tryConnect(port, "sixth")).as("a sixth connection beyond max_clients").isNull();

                held.remove(0).close();
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    Socket s = tryConnect(port, "replacement");
                    return s != null && held.add(s);
                });
                assertThat(tryConnect(port, "seventh")).isNull();
                assertThat(b.counted("tcp.test", ListenerCounter.REFUSED_MAX_CLIENTS)).as("sixth and seventh at least")
                        .isGreaterThanOrEqualTo(2);
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    /** A raw CONNECT: the open socket after a CONNACK, or null when the broker closed it first. */
    private static Socket tryConnect(int port, String clientId) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        try {
            s.getOutputStream().write(Packets.connect(4, clientId).keepAlive(0).bytes());
            Packet p = Packets.read(s.getInputStream());
            if (p != null && p.type() == 2) {
                return s;
            }
        } catch (IOException refused) {
            // reset by the broker: refused as well
        }
        s.close();
        return null;
    }

    // ------------------------------------------------------------------------------------------------ access rules

    @Test
    void accessRulesAreTriedInOrderAndTheFirstMatchDecides() throws Exception {
        try (ListenerBroker b = ListenerBroker.start(
                "listener.tcp.denyloop", "127.0.0.1:0",
                "listener.tcp.denyloop.access.1", "deny 127.0.0.0/8",
                "listener.tcp.denyloop.access.2", "allow all",
                "listener.tcp.allowone", "127.0.0.1:0",
                "listener.tcp.allowone.access.1", "allow 127.0.0.1",
                "listener.tcp.allowone.access.2", "deny all",
                "listener.tcp.denyfirst", "127.0.0.1:0",
                "listener.tcp.denyfirst.access.1", "deny all",
                "listener.tcp.denyfirst.access.2", "allow 127.0.0.1",
                "listener.tcp.othernet", "127.0.0.1:0",
                "listener.tcp.othernet.access.1", "deny 10.0.0.0/8")) {
            assertThat(tryConnect(b.port("tcp.denyloop"), "a")).isNull();
            try (Socket allowed = tryConnect(b.port("tcp.allowone"), "b")) {
                assertThat(allowed).isNotNull();
            }
            assertThat(tryConnect(b.port("tcp.denyfirst"), "c")).isNull();
            try (Socket noRuleMatched = tryConnect(b.port("tcp.othernet"), "d")) {
                assertThat(noRuleMatched).isNotNull();
            }
            assertThat(b.broker().counters().get(Counter.CONNECTIONS_REFUSED)).isEqualTo(2);
            assertThat(b.counted("tcp.denyloop", ListenerCounter.DENIED_BY_ACCESS)).isEqualTo(1);
            assertThat(b.counted("tcp.denyfirst", ListenerCounter.DENIED_BY_ACCESS)).isEqualTo(1);
            assertThat(b.counted("tcp.allowone", ListenerCounter.DENIED_BY_ACCESS)).isZero();
            assertThat(b.counted("tcp.allowone", ListenerCounter.ACCEPTED)).isEqualTo(1);
            assertThat(b.counted("tcp.denyloop", ListenerCounter.ACCEPTED)).isZero();
        }
    }

    // ------------------------------------------------------------------------------------------------ mountpoint

    private static ListenerBroker mounted(String template) {
        return ListenerBroker.start("listener.tcp.plain", "127.0.0.1:0",
                "listener.tcp.mounted", "127.0.0.1:0",
                "listener.tcp.mounted.mountpoint", template);
    }

    private static Mqtt3BlockingClient client(ListenerBroker b, String listener, String id, String username) {
        var builder = MqttClient.builder().identifier(id).serverHost("127.0.0.1").serverPort(b.port(listener))
                .useMqttVersion3();
        Mqtt3BlockingClient c = (username == null ? builder : builder.simpleAuth().username(username)
                .applySimpleAuth()).buildBlocking();
        c.connect();
        return c;
    }

    @Test
    void aMountedClientSeesOnlyItsSubtreeWithTheMountpointStripped() throws Exception {
        try (ListenerBroker b = mounted("tenants/%u/")) {
            Mqtt3BlockingClient tenant = client(b, "tcp.mounted", "t1", "acme");
            Mqtt3BlockingClient.Mqtt3Publishes inbox = tenant.publishes(MqttGlobalPublishFilter.ALL);
            tenant.subscribeWith().topicFilter("sensors/#").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt3BlockingClient outside = client(b, "tcp.plain", "o1", null);

            outside.publishWith().topic("sensors/t1").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("not yours")).send();
            outside.publishWith().topic("tenants/other/sensors/t1").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(bytes("not yours either")).send();
            outside.publishWith().topic("tenants/acme/sensors/t1").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(bytes("yours")).send();

            var m = inbox.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(m.getTopic().toString()).isEqualTo("sensors/t1");
            assertThat(text(m.getPayloadAsBytes())).isEqualTo("yours");
            tenant.disconnect();
            outside.disconnect();
        }
    }

    @Test
    void whatAMountedClientPublishesIsPrefixedAndSoIsItsWill() throws Exception {
        try (ListenerBroker b = mounted("tenants/%u/")) {
            Mqtt3BlockingClient outside = client(b, "tcp.plain", "watcher", null);
            Mqtt3BlockingClient.Mqtt3Publishes seen = outside.publishes(MqttGlobalPublishFilter.ALL);
            outside.subscribeWith().topicFilter("tenants/#").qos(MqttQos.AT_LEAST_ONCE).send();

            Mqtt5BlockingClient tenant = MqttClient.builder().identifier("t2").serverHost("127.0.0.1")
                    .serverPort(b.port("tcp.mounted")).useMqttVersion5().buildBlocking();
            tenant.connectWith().simpleAuth().username("acme").applySimpleAuth()
                    .willPublish().topic("status").payload(bytes("offline")).qos(MqttQos.AT_LEAST_ONCE)
                    .applyWillPublish().send();
            tenant.publishWith().topic("out/x").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("hello")).send();
            var published = seen.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(published.getTopic().toString()).isEqualTo("tenants/acme/out/x");

            tenant.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send();
            var will = seen.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(will.getTopic().toString()).isEqualTo("tenants/acme/status");
            assertThat(text(will.getPayloadAsBytes())).isEqualTo("offline");
            outside.disconnect();
        }
    }

    @Test
    void retainedMessagesAndSharedSubscriptionsAreMountedToo() throws Exception {
        try (ListenerBroker b = mounted("devices/%c/")) {
            Mqtt3BlockingClient outside = client(b, "tcp.plain", "o3", null);
            outside.publishWith().topic("devices/d9/config").retain(true).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(bytes("eco")).send();

            Mqtt3BlockingClient device = client(b, "tcp.mounted", "d9", null);
            Mqtt3BlockingClient.Mqtt3Publishes inbox = device.publishes(MqttGlobalPublishFilter.ALL);
            device.subscribeWith().topicFilter("config").qos(MqttQos.AT_LEAST_ONCE).send();
            var retained = inbox.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(retained.getTopic().toString()).isEqualTo("config");
            assertThat(retained.isRetain()).isTrue();

            device.subscribeWith().topicFilter("$share/workers/jobs/+").qos(MqttQos.AT_LEAST_ONCE).send();
            outside.publishWith().topic("devices/d9/jobs/1").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("job")).send();
            var job = inbox.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(job.getTopic().toString()).isEqualTo("jobs/1");

            device.unsubscribeWith().topicFilter("config").send();
            outside.publishWith().topic("devices/d9/config").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("x")).send();
            outside.publishWith().topic("devices/d9/jobs/2").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("j2")).send();
            assertThat(inbox.receive(10, TimeUnit.SECONDS).orElseThrow().getTopic().toString()).isEqualTo("jobs/2");
            device.disconnect();
            outside.disconnect();
        }
    }

    @Test
    void aPlaceholderValueThatWouldLeaveTheSubtreeIsRefused() {
        try (ListenerBroker b = mounted("tenants/%u/")) {
            for (String username : new String[]{"#", "a/b", "+", ""}) {
                assertThatThrownBy(() -> client(b, "tcp.mounted", "u-" + username.hashCode(), username))
                        .as("username \"%s\"", username)
                        .isInstanceOfSatisfying(Mqtt3ConnAckException.class, e -> assertThat(
                                e.getMqttMessage().getReturnCode()).isEqualTo(Mqtt3ConnAckReturnCode.NOT_AUTHORIZED));
            }
            assertThatThrownBy(() -> client(b, "tcp.mounted", "anonymous", null))
                    .isInstanceOf(Mqtt3ConnAckException.class);
            client(b, "tcp.mounted", "fine", "acme").disconnect();
        }
        try (ListenerBroker b = mounted("devices/%c/")) {
            assertThatThrownBy(() -> client(b, "tcp.mounted", "a/b", null)).isInstanceOf(Mqtt3ConnAckException.class);
        }
    }

    // ------------------------------------------------------------------------------------------------ rate_limit

    @Test
    void rateLimitHoldsAPublisherToItsBytesPerSecond() throws Exception {
        try (ListenerBroker b = ListenerBroker.start("listener.tcp.plain", "127.0.0.1:0",
                "listener.tcp.limited", "127.0.0.1:0",
                "listener.tcp.limited.rate_limit", "4KB,64KB")) {
            Mqtt3BlockingClient sub = client(b, "tcp.plain", "rate-sub", null);
            Mqtt3BlockingClient.Mqtt3Publishes inbox = sub.publishes(MqttGlobalPublishFilter.ALL);
            sub.subscribeWith().topicFilter("rate/#").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt3BlockingClient pub = client(b, "tcp.limited", "rate-pub", null);
            byte[] payload = new byte[32 * 1024];

            long start = System.nanoTime();
            for (int i = 0; i < 6; i++) {
                pub.publishWith().topic("rate/" + i).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send();
            }
            for (int i = 0; i < 6; i++) {
                inbox.receive(20, TimeUnit.SECONDS).orElseThrow();
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            // 192KB at 64KB/s after a 4KB burst: about three seconds; unlimited it takes milliseconds
            assertThat(took).isGreaterThan(Duration.ofMillis(2500)).isLessThan(Duration.ofSeconds(15));
            pub.disconnect();
            sub.disconnect();
        }
    }

    // ------------------------------------------------------------------------------------------------ send_timeout

    @Test
    void aClientThatStopsReadingIsClosedAfterSendTimeout() throws Exception {
        try (LogCapture log = new LogCapture("io.jemq.transport");
             ListenerBroker b = ListenerBroker.start("listener.tcp.test", "127.0.0.1:0",
                     "listener.tcp.test.send_timeout", "1s",
                     "listener.tcp.test.sndbuf", "8KB");
             Socket stalled = stalledSubscriber(b)) {
            Mqtt3BlockingClient flooder = flood(b, () -> b.broker().connectionCount() == 1);

            assertThat(log.messages(Level.INFO)).anyMatch(m -> m.contains("for send_timeout (1000 ms)"));
            assertThat(b.counted("tcp.test", ListenerCounter.SEND_TIMEOUTS)).isEqualTo(1);
            flooder.disconnect();
        }
    }

    @Test
    void withSendTimeoutCloseOffAStalledClientStays() throws Exception {
        try (LogCapture log = new LogCapture("io.jemq.transport");
             ListenerBroker b = ListenerBroker.start("listener.tcp.test", "127.0.0.1:0",
                     "listener.tcp.test.send_timeout", "500ms",
                     "listener.tcp.test.send_timeout_close", "off",
                     "listener.tcp.test.sndbuf", "8KB");
             Socket stalled = stalledSubscriber(b)) {
            Mqtt3BlockingClient flooder = flood(b,
                    () -> log.messages(Level.DEBUG).stream().anyMatch(m -> m.contains("send_timeout_close is off")));

            assertThat(b.broker().connectionCount()).as("the stalled client and the flooder").isEqualTo(2);
            flooder.disconnect();
        }
    }

    /** A subscriber to flood/# with a small receive buffer that reads nothing after its SUBACK. */
    private static Socket stalledSubscriber(ListenerBroker b) throws IOException {
        Socket stalled = new Socket();
        stalled.setReceiveBufferSize(4096);
        stalled.connect(new InetSocketAddress("127.0.0.1", b.port("tcp.test")));
        stalled.setSoTimeout(10_000);
        InputStream in = stalled.getInputStream();
        stalled.getOutputStream().write(Packets.connect(4, "stalled").keepAlive(0).bytes());
        assertThat(Packets.read(in).type()).isEqualTo(2);
        stalled.getOutputStream().write(Packets.subscribe(4, 1, "flood/#", 0));
        assertThat(Packets.read(in).type()).isEqualTo(9);
        return stalled;
    }

    /** Publishes 60KB messages to flood/x until {@code done}. @return the publisher, still connected */
    private static Mqtt3BlockingClient flood(ListenerBroker b, Callable<Boolean> done) throws Exception {
        Mqtt3BlockingClient pub = client(b, "tcp.test", "flooder", null);
        AtomicBoolean flooding = new AtomicBoolean(true);
        Thread flood = new Thread(() -> {
            byte[] payload = new byte[60_000];
            while (flooding.get()) {
                pub.publishWith().topic("flood/x").qos(MqttQos.AT_MOST_ONCE).payload(payload).send();
            }
        });
        flood.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(done);
        } finally {
            flooding.set(false);
            flood.join(10_000);
        }
        return pub;
    }

    // ------------------------------------------------------------------------------------------------ PROXY protocol

    private static ListenerBroker proxied(String... more) {
        var conf = ListenerBroker.conf("listener.tcp.proxied", "127.0.0.1:0",
                "listener.tcp.proxied.proxy_protocol", "on",
                "listener.tcp.proxied.proxy_protocol_timeout", "500ms",
                "mqtt.client.idle_timeout", "60s");
        conf.putAll(ListenerBroker.conf(more));
        return ListenerBroker.start(conf);
    }

    @Test
    void proxyProtocolV1GivesTheClientsAddress() throws Exception {
        try (ListenerBroker b = proxied(); Socket s = new Socket("127.0.0.1", b.port("tcp.proxied"))) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(Packets.concat(
                    "PROXY TCP4 203.0.113.7 127.0.0.1 56324 1883\r\n".getBytes(StandardCharsets.US_ASCII),
                    Packets.connect(4, "behind-haproxy").keepAlive(60).bytes()));

            assertThat(Packets.read(s.getInputStream()).type()).isEqualTo(2);
            ClientInfo seen = b.nextAuthenticated();
            assertThat(seen.ipAddress()).isEqualTo("203.0.113.7");
            assertThat(seen.peer().getPort()).isEqualTo(56324);
        }
    }

    @Test
    void proxyProtocolV2GivesTheAddressAndTheTerminatedCertificatesCn() throws Exception {
        try (ListenerBroker b = proxied("listener.tcp.proxied.peer_cert_as_username", "cn");
             Socket s = new Socket("127.0.0.1", b.port("tcp.proxied"))) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(Packets.concat(proxyV2("198.51.100.4", 40000, "edge-17"),
                    Packets.connect(4, "v2-client").keepAlive(60).bytes()));

            assertThat(Packets.read(s.getInputStream()).type()).isEqualTo(2);
            ClientInfo seen = b.nextAuthenticated();
            assertThat(seen.ipAddress()).isEqualTo("198.51.100.4");
            assertThat(seen.peer().getPort()).isEqualTo(40000);
            assertThat(seen.username()).isEqualTo("edge-17");
            assertThat(seen.certCommonName()).isEqualTo("edge-17");
        }
    }

    @Test
    void withoutAProxyHeaderInTimeTheConnectionIsClosed() throws Exception {
        try (ListenerBroker b = proxied(); Socket silent = new Socket("127.0.0.1", b.port("tcp.proxied"))) {
            silent.setSoTimeout(10_000);
            assertThat(silent.getInputStream().read()).isEqualTo(-1);
            await().untilAsserted(() -> assertThat(b.counted("tcp.proxied", ListenerCounter.PROXY_PROTOCOL_FAILURES))
                    .isEqualTo(1));
        }
    }

    @Test
    void mqttWithoutTheProxyHeaderIsClosed() throws Exception {
        try (ListenerBroker b = proxied(); Socket s = new Socket("127.0.0.1", b.port("tcp.proxied"))) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(Packets.connect(4, "direct").keepAlive(60).bytes());

            assertThat(Packets.read(s.getInputStream())).isNull();
        }
    }

    /** A PROXY v2 header for TCP over IPv4 with an SSL TLV naming the client certificate's CN. */
    private static byte[] proxyV2(String source, int sourcePort, String commonName) throws Exception {
        ByteArrayOutputStream tlv = new ByteArrayOutputStream();
        byte[] cn = commonName.getBytes(StandardCharsets.UTF_8);
        int sslLength = 1 + 4 + 3 + cn.length;
        tlv.write(0x20);                                     // PP2_TYPE_SSL
        tlv.write(sslLength >> 8);
        tlv.write(sslLength & 0xFF);
        tlv.write(0x01 | 0x02);                              // PP2_CLIENT_SSL | PP2_CLIENT_CERT_CONN
        tlv.writeBytes(new byte[4]);                         // verify: 0 = the certificate was verified
        tlv.write(0x22);                                     // PP2_SUBTYPE_SSL_CN
        tlv.write(cn.length >> 8);
        tlv.write(cn.length & 0xFF);
        tlv.writeBytes(cn);
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.writeBytes(new byte[]{0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
        h.write(0x21);                                       // version 2, PROXY
        h.write(0x11);                                       // TCP over IPv4
        int length = 12 + tlv.size();
        h.write(length >> 8);
        h.write(length & 0xFF);
        h.writeBytes(InetAddress.getByName(source).getAddress());
        h.writeBytes(InetAddress.getByName("127.0.0.1").getAddress());
        h.write(sourcePort >> 8);
        h.write(sourcePort & 0xFF);
        h.write(1883 >> 8);
        h.write(1883 & 0xFF);
        h.writeBytes(tlv.toByteArray());
        return h.toByteArray();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
