package io.jemq.store.rocksdb;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAck;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a client notices across a restart of a broker on the disk store (a graceful stop; kill -9: BrokerCrashIT). */
class DiskSessionsSurviveRestartIT {
    @TempDir
    Path home;

    private EmbeddedBroker start() {
        return EmbeddedBroker.in(home).set("mqtt.storage", "disk").controlSocket().start();
    }

    @Test
    void anOfflineSubscriberGetsWhatWasQueuedBeforeTheRestartAndItsSubscriptionsStillRoute() throws Exception {
        try (EmbeddedBroker b = start()) {
            Mqtt3BlockingClient sub = Clients.v3(b, "sub");
            sub.connectWith().cleanSession(false).send();
            sub.subscribeWith().topicFilter("q/#").qos(MqttQos.EXACTLY_ONCE).send();
            sub.disconnect();
            Mqtt3BlockingClient pub = Clients.v3(b, "pub");
            pub.connect();
            for (int i = 0; i < 5; i++) {
                pub.publishWith().topic("q/" + i).qos(i % 2 == 0 ? MqttQos.AT_LEAST_ONCE : MqttQos.EXACTLY_ONCE)
                        .payload(Clients.bytes("m" + i)).send();
            }
            pub.publishWith().topic("r/kept").retain(true).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(Clients.bytes("retained")).send();
            pub.disconnect();
        }
        try (EmbeddedBroker b = start()) {
            assertThat(b.ctl("store").output()).contains("type: disk").contains("persistent_sessions: 1")
                    .contains("retained: 1");
            Mqtt3BlockingClient sub = Clients.v3(b, "sub");
            try (var publishes = Clients.publishes(sub)) {
                Mqtt3ConnAck ack = sub.connectWith().cleanSession(false).send();
                assertThat(ack.isSessionPresent()).as("the session survived").isTrue();
                List<String> got = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    got.add(Clients.text(Clients.next(publishes)));
                }
                assertThat(got).containsExactly("m0", "m1", "m2", "m3", "m4");
                Mqtt3BlockingClient pub = Clients.v3(b, "pub");
                pub.connect();
                pub.publishWith().topic("q/after").qos(MqttQos.AT_LEAST_ONCE).payload(Clients.bytes("new")).send();
                assertThat(Clients.text(Clients.next(publishes))).as("routes rebuilt").isEqualTo("new");
                assertThat(Clients.quiet(publishes)).isEmpty();
                pub.disconnect();
            }
            sub.disconnect();
            Mqtt5BlockingClient late = Clients.v5(b, "late");
            try (var publishes = Clients.publishes(late)) {
                late.connect();
                late.subscribeWith().topicFilter("r/#").send();
                assertThat(Clients.text(Clients.next(publishes))).isEqualTo("retained");
            }
            late.disconnect();
        }
        try (EmbeddedBroker b = start()) {
            Mqtt3BlockingClient sub = Clients.v3(b, "sub");
            try (var publishes = Clients.publishes(sub)) {
                sub.connectWith().cleanSession(false).send();
                assertThat(Clients.quiet(publishes)).as("acknowledged messages are gone for good").isEmpty();
            }
            sub.disconnect();
        }
    }

    @Test
    void aCleanSessionLeavesNothingOnDiskAndACleanStartErasesThePersistentOne() throws Exception {
        try (EmbeddedBroker b = start()) {
            Mqtt3BlockingClient clean = Clients.v3(b, "clean");
            clean.connectWith().cleanSession(true).send();
            clean.subscribeWith().topicFilter("a").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt3BlockingClient kept = Clients.v3(b, "kept");
            kept.connectWith().cleanSession(false).send();
            kept.subscribeWith().topicFilter("a").qos(MqttQos.AT_LEAST_ONCE).send();
            assertThat(b.ctl("store").output()).contains("persistent_sessions: 1");
            kept.disconnect();
            kept.connectWith().cleanSession(true).send();
            kept.disconnect();
            clean.disconnect();
        }
        try (EmbeddedBroker b = start()) {
            assertThat(b.broker().sessions().size()).as("neither came back").isZero();
        }
    }

    @Test
    void anUnreadableStoreStopsTheStartAndIsLeftAsItWas() throws Exception {
        Path store = home.resolve("data/store");
        Files.createDirectories(store);
        Files.writeString(store.resolve("CURRENT"), "MANIFEST-000042\n");   // names a manifest that is not there
        assertThatThrownBy(this::start).hasMessageContaining("the disk store in " + store + " cannot be read")
                .hasMessageContaining("mv " + store);
        assertThat(Files.readString(store.resolve("CURRENT"))).isEqualTo("MANIFEST-000042\n");
    }
}
