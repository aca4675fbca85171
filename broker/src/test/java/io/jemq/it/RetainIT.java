package io.jemq.it;

import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.jemq.testkit.Clients.bytes;
import static io.jemq.testkit.Clients.next;
import static io.jemq.testkit.Clients.publishes;
import static io.jemq.testkit.Clients.quiet;
import static io.jemq.testkit.Clients.text;
import static org.assertj.core.api.Assertions.assertThat;

/** Retained messages: stored, replaced, cleared, delivered on subscribe per 5.0 options, within the retainer limits. */
class RetainIT {

    @Test
    void retainedMessageIsDeliveredOnSubscribeWithTheRetainFlag() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            retain(b, "r/t", "v1", MqttQos.AT_LEAST_ONCE);
            Mqtt3BlockingClient sub = Clients.v3(b, "r-sub");
            sub.connect();
            var got = publishes(sub);
            sub.subscribeWith().topicFilter("r/#").qos(MqttQos.EXACTLY_ONCE).send();
            Mqtt3Publish m = next(got);
            assertThat(m.getTopic().toString()).isEqualTo("r/t");
            assertThat(text(m)).isEqualTo("v1");
            assertThat(m.isRetain()).isTrue();
            assertThat(m.getQos()).as("the lower of message and subscription QoS").isEqualTo(MqttQos.AT_LEAST_ONCE);
            sub.disconnect();
        }
    }

    @Test
    void newerRetainedMessageReplacesTheOlder() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            retain(b, "rep/t", "old", MqttQos.AT_LEAST_ONCE);
            retain(b, "rep/t", "new", MqttQos.AT_LEAST_ONCE);
            Mqtt3BlockingClient sub = Clients.v3(b, "rep-sub");
            sub.connect();
            var got = publishes(sub);
            sub.subscribeWith().topicFilter("rep/t").qos(MqttQos.AT_LEAST_ONCE).send();
            assertThat(text(next(got))).isEqualTo("new");
            assertThat(quiet(got)).isEmpty();
            sub.disconnect();
        }
    }

    @Test
    void emptyRetainedPayloadClearsTheTopic() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            retain(b, "clr/a", "gone soon", MqttQos.AT_LEAST_ONCE);
            retain(b, "clr/b", "stays", MqttQos.AT_LEAST_ONCE);
            retain(b, "clr/a", "", MqttQos.AT_LEAST_ONCE);
            Mqtt3BlockingClient sub = Clients.v3(b, "clr-sub");
            sub.connect();
            var got = publishes(sub);
            sub.subscribeWith().topicFilter("clr/#").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt3Publish m = next(got);
            assertThat(m.getTopic().toString()).isEqualTo("clr/b");
            assertThat(quiet(got)).isEmpty();
            sub.disconnect();
        }
    }

    @Test
    void liveDeliveryOfRetainedPublishClearsTheRetainFlagForMqtt311() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Mqtt3BlockingClient sub = Clients.v3(b, "live3");
            sub.connect();
            var got = publishes(sub);
            sub.subscribeWith().topicFilter("live/t").qos(MqttQos.AT_LEAST_ONCE).send();
            retain(b, "live/t", "now", MqttQos.AT_LEAST_ONCE);
            Mqtt3Publish m = next(got);
            assertThat(text(m)).isEqualTo("now");
            assertThat(m.isRetain()).as("sent because of an established subscription").isFalse();
            sub.disconnect();
        }
    }

    @Test
    void retainAsPublishedKeepsTheFlagOnLiveDelivery() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Mqtt5BlockingClient keeps = Clients.v5(b, "rap-on");
            keeps.connect();
            var keepsGot = publishes(keeps);
            keeps.subscribeWith().topicFilter("rap/t").qos(MqttQos.AT_LEAST_ONCE).retainAsPublished(true).send();
            Mqtt5BlockingClient clears = Clients.v5(b, "rap-off");
            clears.connect();
            var clearsGot = publishes(clears);
            clears.subscribeWith().topicFilter("rap/t").qos(MqttQos.AT_LEAST_ONCE).send();

            Mqtt5BlockingClient pub = Clients.v5(b, "rap-pub");
            pub.connect();
            pub.publishWith().topic("rap/t").qos(MqttQos.AT_LEAST_ONCE).retain(true).payload(bytes("r")).send();
            pub.publishWith().topic("rap/t").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("plain")).send();
            assertThat(next(keepsGot).isRetain()).isTrue();
            assertThat(next(keepsGot).isRetain()).isFalse();
            assertThat(next(clearsGot).isRetain()).isFalse();
            pub.disconnect();
            keeps.disconnect();
            clears.disconnect();
        }
    }

    @Test
    void retainHandlingOneSendsOnlyForANewSubscription() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            retain(b, "rh1/t", "kept", MqttQos.AT_LEAST_ONCE);
            Mqtt5BlockingClient sub = Clients.v5(b, "rh1");
            sub.connect();
            var got = publishes(sub);
            sub.subscribeWith().topicFilter("rh1/t").qos(MqttQos.AT_LEAST_ONCE)
                    .retainHandling(Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST).send();
            assertThat(text(next(got))).isEqualTo("kept");
            sub.subscribeWith().topicFilter("rh1/t").qos(MqttQos.AT_LEAST_ONCE)
                    .retainHandling(Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST).send();
            liveMarker(b, "rh1/t");
            assertThat(text(next(got))).as("no retained message for the repeated subscription").isEqualTo("marker");
            sub.disconnect();
        }
    }

    @Test
    void retainHandlingTwoNeverSends() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            retain(b, "rh2/t", "kept", MqttQos.AT_LEAST_ONCE);
            Mqtt5BlockingClient sub = Clients.v5(b, "rh2");
            sub.connect();
            var got = publishes(sub);
            sub.subscribeWith().topicFilter("rh2/t").qos(MqttQos.AT_LEAST_ONCE)
                    .retainHandling(Mqtt5RetainHandling.DO_NOT_SEND).send();
            liveMarker(b, "rh2/t");
            assertThat(text(next(got))).isEqualTo("marker");
            sub.disconnect();
        }
    }

    @Test
    void retainHandlingZeroSendsOnEverySubscribe() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            retain(b, "rh0/t", "kept", MqttQos.AT_LEAST_ONCE);
            Mqtt5BlockingClient sub = Clients.v5(b, "rh0");
            sub.connect();
            var got = publishes(sub);
            for (int i = 0; i < 2; i++) {
                sub.subscribeWith().topicFilter("rh0/t").qos(MqttQos.AT_LEAST_ONCE).send();
                var m = next(got);
                assertThat(text(m)).isEqualTo("kept");
                assertThat(m.isRetain()).isTrue();
            }
            sub.disconnect();
        }
    }

    @Test
    void payloadAboveMaxPayloadSizeIsDeliveredButNotRetained() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("retainer.max_payload_size", "10")) {
            Mqtt3BlockingClient live = Clients.v3(b, "big-live");
            live.connect();
            var liveGot = publishes(live);
            live.subscribeWith().topicFilter("size/#").qos(MqttQos.AT_LEAST_ONCE).send();
            retain(b, "size/big", "x".repeat(20), MqttQos.AT_LEAST_ONCE);
            retain(b, "size/small", "tiny", MqttQos.AT_LEAST_ONCE);
            assertThat(text(next(liveGot))).as("delivered live all the same").hasSize(20);

            Mqtt3BlockingClient later = Clients.v3(b, "big-later");
            later.connect();
            var got = publishes(later);
            later.subscribeWith().topicFilter("size/#").qos(MqttQos.AT_LEAST_ONCE).send();
            assertThat(next(got).getTopic().toString()).isEqualTo("size/small");
            assertThat(quiet(got)).isEmpty();
            live.disconnect();
            later.disconnect();
        }
    }

    @Test
    void topicsBeyondMaxMessageNumAreNotRetained() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("retainer.max_message_num", "2")) {
            retain(b, "num/1", "one", MqttQos.AT_LEAST_ONCE);
            retain(b, "num/2", "two", MqttQos.AT_LEAST_ONCE);
            retain(b, "num/3", "three", MqttQos.AT_LEAST_ONCE);
            retain(b, "num/1", "one again", MqttQos.AT_LEAST_ONCE);
            Mqtt3BlockingClient sub = Clients.v3(b, "num-sub");
            sub.connect();
            var got = publishes(sub);
            sub.subscribeWith().topicFilter("num/#").qos(MqttQos.AT_LEAST_ONCE).send();
            List<String> received = new ArrayList<>();
            received.add(text(next(got)));
            received.add(text(next(got)));
            assertThat(received).as("replacing a kept topic is fine; a third topic is refused")
                    .containsExactlyInAnyOrder("one again", "two");
            assertThat(quiet(got)).isEmpty();
            sub.disconnect();
        }
    }

    @Test
    void sharedSubscriptionsGetNoRetainedMessages() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            retain(b, "sr/t", "kept", MqttQos.AT_LEAST_ONCE);
            Mqtt3BlockingClient sub = Clients.v3(b, "sr-sub");
            sub.connect();
            var got = publishes(sub);
            sub.subscribeWith().topicFilter("$share/g/sr/t").qos(MqttQos.AT_LEAST_ONCE).send();
            liveMarker(b, "sr/t");
            assertThat(text(next(got))).isEqualTo("marker");
            sub.disconnect();
        }
    }

    private static void retain(EmbeddedBroker b, String topic, String payload, MqttQos qos) {
        Mqtt3BlockingClient pub = Clients.v3(b, "retainer-" + topic.replace('/', '-'));
        pub.connect();
        pub.publishWith().topic(topic).qos(qos).retain(true).payload(bytes(payload)).send();
        pub.disconnect();
    }

    private static void liveMarker(EmbeddedBroker b, String topic) {
        Mqtt3BlockingClient pub = Clients.v3(b, "marker-" + topic.replace('/', '-'));
        pub.connect();
        pub.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(bytes("marker")).send();
        pub.disconnect();
    }
}
