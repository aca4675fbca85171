package io.jemq.access.it;

import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.jemq.sys.Counter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/** PUBLISH, SUBSCRIBE and will checks against acl.conf and plugin ACLs, with real clients. */
class AclIT {
    @TempDir
    Path home;

    /** A subscriber to {@code #} and the messages it gets, by topic and payload. */
    private static final class Watcher implements AutoCloseable {
        final Mqtt3BlockingClient client;
        final Mqtt3BlockingClient.Mqtt3Publishes publishes;

        Watcher(int port) {
            client = Clients.connect3(port, "watcher", null, null);
            publishes = client.publishes(MqttGlobalPublishFilter.ALL);
            client.subscribeWith().topicFilter("#").qos(MqttQos.AT_LEAST_ONCE).send();
        }

        String next() throws InterruptedException {
            var m = publishes.receive(5, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("nothing received"));
            return m.getTopic() + " " + new String(m.getPayloadAsBytes(), StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            publishes.close();
            client.disconnect();
        }
    }

    private static void publish(Mqtt3BlockingClient c, String topic, int qos, String payload) {
        c.publishWith().topic(topic).qos(MqttQos.fromCode(qos)).payload(payload.getBytes(StandardCharsets.UTF_8))
                .send();
    }

    @Test
    void aDeniedPublishIsAcknowledgedButNotDeliveredToA311Client() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.in(home).acl("{deny, all, publish, [\"secret/#\"]}.").start();
             Watcher w = new Watcher(b.port())) {
            Mqtt3BlockingClient pub = Clients.connect3(b.port(), "pub", null, null);
            publish(pub, "secret/a", 0, "s0");
            publish(pub, "secret/a", 1, "s1");                 // returns: the PUBACK came
            publish(pub, "secret/a", 2, "s2");                 // returns: PUBREC and PUBCOMP came
            publish(pub, "open/a", 1, "o1");
            assertThat(w.next()).isEqualTo("open/a o1");
            assertThat(b.broker().counters().get(Counter.MESSAGES_DROPPED)).isGreaterThanOrEqualTo(3);
            assertThat(b.broker().counters().snapshot()).containsEntry("acl/deny", 3L);
            publish(pub, "secret/a", 1, "s3");
            assertThat(b.broker().counters().snapshot().get("acl/cache/hit")).isPositive();
            pub.disconnect();
        }
    }

    @Test
    void aDeniedPublishGetsNotAuthorizedInMqtt5() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.in(home).acl("{deny, all, publish, [\"secret/#\"]}.").start();
             Watcher w = new Watcher(b.port())) {
            Mqtt5BlockingClient pub = Clients.connect5(b.port(), "pub5", null, null);
            Mqtt5PubAckException e = catchThrowableOfType(Mqtt5PubAckException.class, () -> pub.publishWith()
                    .topic("secret/a").qos(MqttQos.AT_LEAST_ONCE).payload("s".getBytes()).send());
            assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
            pub.publishWith().topic("open/a").qos(MqttQos.AT_LEAST_ONCE).payload("o".getBytes()).send();
            assertThat(w.next()).isEqualTo("open/a o");
            pub.disconnect();
        }
    }

    @Test
    void aDeniedFilterFailsAloneInItsSubscribe() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.in(home).acl("{deny, all, subscribe, [\"private/#\"]}.").start()) {
            Mqtt3BlockingClient c3 = Clients.connect3(b.port(), "c3", null, null);
            List<Mqtt3SubAckReturnCode> codes3;
            try {
                codes3 = c3.subscribeWith().addSubscription().topicFilter("private/a").applySubscription()
                        .addSubscription().topicFilter("public/a").applySubscription().send().getReturnCodes();
            } catch (Mqtt3SubAckException e) {
                codes3 = e.getMqttMessage().getReturnCodes();
            }
            assertThat(codes3).containsExactly(Mqtt3SubAckReturnCode.FAILURE,
                    Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_2);

            Mqtt5BlockingClient c5 = Clients.connect5(b.port(), "c5", null, null);
            List<Mqtt5SubAckReasonCode> codes5;
            try {
                codes5 = c5.subscribeWith().addSubscription().topicFilter("private/a").applySubscription()
                        .addSubscription().topicFilter("public/a").applySubscription().send().getReasonCodes();
            } catch (Mqtt5SubAckException e) {
                codes5 = e.getMqttMessage().getReasonCodes();
            }
            assertThat(codes5).containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED,
                    Mqtt5SubAckReasonCode.GRANTED_QOS_2);

            var got = c3.publishes(MqttGlobalPublishFilter.ALL);
            Mqtt3BlockingClient pub = Clients.connect3(b.port(), "pub", null, null);
            publish(pub, "private/a", 0, "p");
            publish(pub, "public/a", 0, "q");
            assertThat(got.receive(5, TimeUnit.SECONDS).orElseThrow().getTopic().toString()).isEqualTo("public/a");
            pub.disconnect();
            c3.disconnect();
            c5.disconnect();
        }
    }

    @Test
    void denyActionDisconnectClosesTheConnection() {
        EmbeddedBroker.Builder f = EmbeddedBroker.in(home).acl("{deny, all, publish, [\"secret/#\"]}.")
                .set("mqtt.acl_deny_action", "disconnect");
        try (EmbeddedBroker b = f.start()) {
            Mqtt3BlockingClient c3 = Clients.connect3(b.port(), "c3", null, null);
            c3.toAsync().publishWith().topic("secret/a").qos(MqttQos.AT_MOST_ONCE).payload("x".getBytes()).send();
            await().atMost(5, TimeUnit.SECONDS).until(() -> !c3.getState().isConnected());

            AtomicReference<Throwable> cause = new AtomicReference<>();
            Mqtt5BlockingClient c5 = Mqtt5Client.builder().identifier("c5").serverHost("127.0.0.1")
                    .serverPort(b.port()).addDisconnectedListener(ctx -> cause.set(ctx.getCause())).buildBlocking();
            c5.connect();
            c5.toAsync().publishWith().topic("secret/a").qos(MqttQos.AT_LEAST_ONCE).payload("x".getBytes()).send();
            await().atMost(5, TimeUnit.SECONDS).until(() -> cause.get() != null);
            assertThat(cause.get()).isInstanceOfSatisfying(Mqtt5DisconnectException.class, e ->
                    assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5DisconnectReasonCode.NOT_AUTHORIZED));
        }
    }

    @Test
    void aSuperuserBypassesPublishSubscribeAndWillChecks() throws Exception {
        EmbeddedBroker.Builder f = EmbeddedBroker.in(home).acl("{deny, all}.").pluginConf("test_a", """
                scripted.broken = off
                scripted.auth.root = super
                scripted.auth.plain = allow
                """).loaded("test_a");
        try (EmbeddedBroker b = f.start()) {
            Mqtt3BlockingClient root = Clients.connect3(b.port(), "root", "root", "x");
            var got = root.publishes(MqttGlobalPublishFilter.ALL);
            root.subscribeWith().topicFilter("#").qos(MqttQos.AT_LEAST_ONCE).send();
            publish(root, "t/1", 1, "from root");
            assertThat(got.receive(5, TimeUnit.SECONDS).orElseThrow().getTopic().toString()).isEqualTo("t/1");

            Mqtt3BlockingClient plain = Clients.connect3(b.port(), "plain", "plain", "x");
            publish(plain, "t/2", 1, "from plain");                          // denied: acked, dropped
            Mqtt5BlockingClient rootWill = Mqtt5Client.builder().identifier("root-will").serverHost("127.0.0.1")
                    .serverPort(b.port()).simpleAuth().username("root").password("x".getBytes()).applySimpleAuth()
                    .willPublish().topic("will/root").payload("bye".getBytes()).applyWillPublish().buildBlocking();
            rootWill.connect();
            rootWill.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send();
            var next = got.receive(5, TimeUnit.SECONDS).orElseThrow();
            assertThat(next.getTopic().toString()).isEqualTo("will/root");
            assertThat(b.broker().counters().snapshot()).containsEntry("acl/allow", 0L);
            plain.disconnect();
            root.disconnect();
        }
    }

    @Test
    void aDeniedWillIsDropped() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.in(home).acl("{deny, all, publish, [\"will/secret\"]}.").start();
             Watcher w = new Watcher(b.port())) {
            for (String topic : List.of("will/secret", "will/open")) {
                Mqtt5BlockingClient c = Mqtt5Client.builder().identifier("w-" + topic.replace('/', '-'))
                        .serverHost("127.0.0.1").serverPort(b.port()).willPublish().topic(topic)
                        .payload("bye".getBytes()).applyWillPublish().buildBlocking();
                c.connect();
                c.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send();
            }
            assertThat(w.next()).isEqualTo("will/open bye");
        }
    }

    @Test
    void underAMountpointPublishSubscribeAndWillAreCheckedAsTheClientWroteThem() throws Exception {
        EmbeddedBroker.Builder f = EmbeddedBroker.in(home).acl("""
                {allow, {client, "observer"}, subscribe, ["dev/#"]}.
                {allow, all, pubsub, ["a/b"]}.
                {deny, all, pubsub, ["dev/#"]}.
                {deny, all}.
                """).set("listener.tcp.external.mountpoint", "dev/%c/").set("listener.tcp.internal", "127.0.0.1:0");
        try (EmbeddedBroker b = f.start()) {
            // unmounted, on the other listener: sees the topics as the broker routes them
            Mqtt3BlockingClient observer = Clients.connect3(b.broker().boundPort("tcp.internal"), "observer", null,
                    null);
            var routed = observer.publishes(MqttGlobalPublishFilter.ALL);
            observer.subscribeWith().topicFilter("dev/#").qos(MqttQos.AT_LEAST_ONCE).send();

            Mqtt5BlockingClient device = Clients.connect5(b.port(), "d1", null, null);
            var inbox = device.publishes(MqttGlobalPublishFilter.ALL);
            assertThat(device.subscribeWith().topicFilter("a/b").qos(MqttQos.AT_LEAST_ONCE).send().getReasonCodes())
                    .containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
            device.publishWith().topic("a/b").qos(MqttQos.AT_LEAST_ONCE).payload("hello".getBytes()).send();
            assertThat(next(routed)).isEqualTo("dev/d1/a/b hello");
            var own = inbox.receive(5, TimeUnit.SECONDS).orElseThrow();
            assertThat(own.getTopic().toString()).isEqualTo("a/b");

            Mqtt5PubAckException denied = catchThrowableOfType(Mqtt5PubAckException.class, () -> device.publishWith()
                    .topic("dev/x").qos(MqttQos.AT_LEAST_ONCE).payload("no".getBytes()).send());
            assertThat(denied.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
            Mqtt5SubAckException refused = catchThrowableOfType(Mqtt5SubAckException.class, () -> device
                    .subscribeWith().topicFilter("dev/#").qos(MqttQos.AT_LEAST_ONCE).send());
            assertThat(refused.getMqttMessage().getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);

            for (String[] will : new String[][]{{"d2", "dev/x"}, {"d3", "a/b"}}) {      // denied first, then allowed
                Mqtt5BlockingClient c = Mqtt5Client.builder().identifier(will[0]).serverHost("127.0.0.1")
                        .serverPort(b.port()).willPublish().topic(will[1]).payload("bye".getBytes())
                        .applyWillPublish().buildBlocking();
                c.connect();
                c.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send();
            }
            assertThat(next(routed)).as("only the will allowed as written").isEqualTo("dev/d3/a/b bye");
            device.disconnect();
            observer.disconnect();
        }
    }

    private static String next(Mqtt3BlockingClient.Mqtt3Publishes publishes) throws InterruptedException {
        var m = publishes.receive(5, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("nothing received"));
        return m.getTopic() + " " + new String(m.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void cachedAnswersExpireAfterTheTtl() throws Exception {
        EmbeddedBroker.Builder f = EmbeddedBroker.in(home).pluginConf("test_a", """
                scripted.broken = off
                scripted.acl.t/1 = allow
                """).loaded("test_a").set("mqtt.acl_cache.ttl", "1s");
        try (EmbeddedBroker b = f.start(); Watcher w = new Watcher(b.port())) {
            Mqtt3BlockingClient pub = Clients.connect3(b.port(), "pub", null, null);
            long cachedAt = System.nanoTime();
            publish(pub, "t/1", 1, "first");
            assertThat(w.next()).isEqualTo("t/1 first");
            f.pluginConf("test_a", "scripted.broken = off\nscripted.acl.t/1 = deny\n");
            var access = b.broker().counters();
            await().atMost(10, TimeUnit.SECONDS).pollInterval(100, TimeUnit.MILLISECONDS).until(() -> {
                publish(pub, "t/1", 1, "again");
                return access.get(Counter.ACL_DENY) > 0;
            });
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cachedAt)).isGreaterThanOrEqualTo(1000);
            assertThat(access.get(Counter.ACL_CACHE_HIT)).isPositive();
            pub.disconnect();
        }
    }

    @Test
    void aclReloadAppliesNewRulesAtOnceAndKeepsTheOldOnesWhenBroken() throws Exception {
        EmbeddedBroker.Builder f = EmbeddedBroker.in(home).controlSocket().acl("{deny, all, publish, [\"a\"]}.");
        try (EmbeddedBroker b = f.start(); Watcher w = new Watcher(b.port())) {
            Mqtt3BlockingClient pub = Clients.connect3(b.port(), "pub", null, null);
            publish(pub, "a", 1, "1");
            f.acl("{allow, all, publish, [\"a\"]}.");
            publish(pub, "a", 1, "2");                                     // not reloaded yet: still denied
            var reply = f.ctl("acl", "reload");
            assertThat(reply.code()).isZero();
            publish(pub, "a", 1, "3");
            assertThat(w.next()).isEqualTo("a 3");

            f.acl("{allow, all, publish, [\"a\"]}.\n{deny, oops}.\n");
            reply = f.ctl("acl", "reload");
            assertThat(reply.code()).isEqualTo(1);
            assertThat(reply.output()).contains("acl.conf:2:8:", "old rules stay");
            publish(pub, "a", 1, "4");
            assertThat(w.next()).isEqualTo("a 4");
            pub.disconnect();
        }
    }

    @Test
    void asynchronousAnswersKeepTheClientsOrder() throws Exception {
        EmbeddedBroker.Builder f = EmbeddedBroker.in(home).pluginConf("test_a", """
                scripted.broken = off
                scripted.acl.slow = async-allow
                scripted.acl.slow-no = async-deny
                scripted.acl.fast = allow
                """).loaded("test_a").set("mqtt.acl_cache.enable", "off");
        try (EmbeddedBroker b = f.start(); Watcher w = new Watcher(b.port())) {
            Mqtt3BlockingClient pub = Clients.connect3(b.port(), "pub", null, null);
            List<CompletableFuture<?>> sent = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String topic = i % 3 == 0 ? "slow" : i % 3 == 1 ? "slow-no" : "fast";
                sent.add(pub.toAsync().publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                        .payload(String.valueOf(i).getBytes()).send());
                if (!topic.equals("slow-no")) {
                    expected.add(topic + " " + i);
                }
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            List<String> got = new ArrayList<>();
            for (int i = 0; i < expected.size(); i++) {
                got.add(w.next());
            }
            assertThat(got).containsExactlyElementsOf(expected);
            pub.disconnect();
        }
    }

    @Test
    void aFailingAclSourceDeniesAndIsNotCached() throws Exception {
        EmbeddedBroker.Builder f = EmbeddedBroker.in(home).pluginConf("test_a", """
                scripted.broken = off
                scripted.acl.t = fail
                """).loaded("test_a");
        try (EmbeddedBroker b = f.start(); Watcher w = new Watcher(b.port())) {
            Mqtt3BlockingClient pub = Clients.connect3(b.port(), "pub", null, null);
            publish(pub, "t", 1, "during the outage");
            f.pluginConf("test_a", "scripted.broken = off\nscripted.acl.t = allow\n");
            publish(pub, "t", 1, "after");
            assertThat(w.next()).isEqualTo("t after");
            pub.disconnect();
        }
    }

    @Test
    void onErrorIgnorePassesAFailingAclSourceToTheNextOneAndCachesNothingItLed() throws Exception {
        EmbeddedBroker.Builder f = EmbeddedBroker.in(home).acl("{deny, all, publish, [\"secret\"]}.\n")
                .pluginConf("test_a", """
                scripted.broken = off
                scripted.acl.t = outage
                scripted.acl.secret = outage
                test.a.on_error = ignore
                """).loaded("test_a");
        try (EmbeddedBroker b = f.start(); Watcher w = new Watcher(b.port())) {
            Mqtt3BlockingClient pub = Clients.connect3(b.port(), "pub", null, null);
            publish(pub, "secret", 1, "denied by acl.conf");
            publish(pub, "t", 1, "allowed by acl_nomatch");
            assertThat(w.next()).isEqualTo("t allowed by acl_nomatch");
            // the backend is back and denies t: what was answered during the outage was not cached
            f.pluginConf("test_a", "scripted.broken = off\nscripted.acl.t = deny\n");
            publish(pub, "t", 1, "denied once it answers");
            publish(pub, "u", 1, "marker");
            assertThat(w.next()).isEqualTo("u marker");
            pub.disconnect();
        }
    }
}
