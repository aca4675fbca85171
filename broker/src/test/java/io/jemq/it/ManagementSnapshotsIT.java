package io.jemq.it;

import io.jemq.testkit.EmbeddedBroker;
import io.jemq.testkit.Clients;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.jemq.routing.RouteSnapshot;
import io.jemq.session.SessionSnapshot;
import io.jemq.session.SubscriptionSnapshot;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static io.jemq.testkit.Clients.WAIT;
import static io.jemq.testkit.Clients.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What management sees of real clients: sessions, their subscriptions and queues, and the routes, read-only. */
class ManagementSnapshotsIT {

    @Test
    void sessionsSubscriptionsAndRoutesAsManagementSeesThem() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Mqtt5BlockingClient kept = Clients.v5(b, "snap-kept");
            kept.connectWith().cleanStart(true).sessionExpiryInterval(300).send();
            kept.subscribeWith().topicFilter("snap/#").qos(MqttQos.AT_LEAST_ONCE).send();
            kept.subscribeWith().topicFilter("$share/g/snap/+").qos(MqttQos.AT_MOST_ONCE).send();
            kept.disconnect();
            Mqtt3BlockingClient live = Clients.v3(b, "snap-live");
            live.connect();
            live.subscribeWith().topicFilter("snap/#").qos(MqttQos.AT_MOST_ONCE).send();
            for (int i = 0; i < 3; i++) {
                live.publishWith().topic("snap/" + i).qos(MqttQos.AT_LEAST_ONCE).payload(bytes("m")).send();
            }
            var view = b.broker().sessionsView();
            // each message twice: once for snap/#, once as the only member of share group g
            await().atMost(WAIT).until(() -> view.session("snap-kept").get(5, TimeUnit.SECONDS)
                    .map(SessionSnapshot::queued).orElse(0) == 6);

            SessionSnapshot away = view.session("snap-kept").get(5, TimeUnit.SECONDS).orElseThrow();
            assertThat(away.clean()).isFalse();
            assertThat(away.expirySeconds()).isEqualTo(300);
            assertThat(away.connected()).isFalse();
            assertThat(away.subscriptions()).isEqualTo(2);
            assertThat(away.inflight()).isZero();
            assertThat(away.dropped()).isZero();
            assertThat(away.createdAtMillis()).isPositive().isLessThanOrEqualTo(System.currentTimeMillis());

            List<SessionSnapshot> all = view.sessions().get(5, TimeUnit.SECONDS);
            assertThat(all).extracting(SessionSnapshot::clientId).containsExactly("snap-kept", "snap-live");
            SessionSnapshot online = all.get(1);
            assertThat(online.clean()).isTrue();
            assertThat(online.connected()).isTrue();
            assertThat(online.subscriptions()).isEqualTo(1);

            assertThat(view.subscriptions("snap-kept").get(5, TimeUnit.SECONDS))
                    .extracting(SubscriptionSnapshot::filter, SubscriptionSnapshot::qos)
                    .containsExactly(Tuple.tuple("snap/#", 1),
                            Tuple.tuple("$share/g/snap/+", 0));
            assertThat(view.subscriptions("nobody").get(5, TimeUnit.SECONDS)).isEmpty();
            assertThat(view.session("nobody").get(5, TimeUnit.SECONDS)).isEqualTo(Optional.empty());

            assertThat(b.broker().router().routes()).containsExactlyInAnyOrder(new RouteSnapshot("snap/#", 2),
                    new RouteSnapshot("snap/+", 1));
            live.disconnect();
        }
    }
}
