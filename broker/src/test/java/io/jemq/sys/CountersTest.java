package io.jemq.sys;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The counter table's shape: what an exporter reads, and how the hot path's bumps land in it. */
class CountersTest {

    /** EMQ 2.3's $SYS metrics tree (REFERENCE 2.10): every one of these paths is in the table. */
    private static final List<String> EMQ_METRICS = List.of(
            "bytes/received", "bytes/sent",
            "packets/received", "packets/sent", "packets/connect", "packets/connack",
            "packets/publish/received", "packets/publish/sent",
            "packets/puback/received", "packets/puback/sent", "packets/puback/missed",
            "packets/pubrec/received", "packets/pubrec/sent", "packets/pubrec/missed",
            "packets/pubrel/received", "packets/pubrel/sent", "packets/pubrel/missed",
            "packets/pubcomp/received", "packets/pubcomp/sent", "packets/pubcomp/missed",
            "packets/subscribe", "packets/suback", "packets/unsubscribe", "packets/unsuback",
            "packets/pingreq", "packets/pingresp", "packets/disconnect",
            "messages/received", "messages/sent", "messages/dropped", "messages/retained",
            "messages/qos0/received", "messages/qos0/sent", "messages/qos1/received", "messages/qos1/sent",
            "messages/qos2/received", "messages/qos2/sent", "messages/qos2/dropped");

    private static final List<String> EMQ_STATS = List.of("clients", "sessions", "topics", "subscribers",
            "subscriptions", "routes", "retained");

    @Test
    void everyFigureOfEmqsSysTreeIsInTheTable() {
        Counters c = new Counters();
        assertThat(c.snapshot()).containsKeys(EMQ_METRICS.toArray(String[]::new));
        for (String s : EMQ_STATS) {
            assertThat(c.stats()).containsKeys(s + "/count", s + "/max");
        }
    }

    @Test
    void eachPathAndEachPrometheusNameNamesOneFigure() {
        Counters c = new Counters();
        c.listener("tcp.external");
        c.listener("ssl.external");
        c.authOutcome("emq_auth_username", AuthOutcome.SUCCESS);
        Set<String> paths = new HashSet<>();
        Set<String> series = new HashSet<>();
        for (Figure f : c.figures()) {
            assertThat(paths.add(f.path())).as("one figure per path: " + f.path()).isTrue();
            assertThat(series.add(f.prometheusName() + "{" + f.labelValue() + "}")).as(f.prometheusName()).isTrue();
            assertThat(f.prometheusName()).matches("(emqx|jemq)_[a-z0-9_]+");
            assertThat(f.help()).isNotBlank();
        }
        assertThat(paths).contains("metrics/listeners/tcp.external/send_timeouts",
                "metrics/auth/emq_auth_username/success", "stats/clients/max", "metrics/bytes/received");
    }

    @Test
    void aPacketCountsOnceInItsTotalAndOnceUnderItsTypeAndDirection() {
        Counters c = new Counters();
        c.packetReceived(4);            // PUBACK
        c.packetSent(4);
        c.packetSent(4);
        c.packetReceived(0);            // not decoded: only the total
        c.packetSent(14);               // DISCONNECT, 5.0
        assertThat(c.get(Counter.PACKETS_RECEIVED)).isEqualTo(2);
        assertThat(c.get(Counter.PACKETS_PUBACK_RECEIVED)).isEqualTo(1);
        assertThat(c.get(Counter.PACKETS_SENT)).isEqualTo(3);
        assertThat(c.get(Counter.PACKETS_PUBACK_SENT)).isEqualTo(2);
        assertThat(c.get(Counter.PACKETS_DISCONNECT_SENT)).isEqualTo(1);
        assertThat(c.get(Counter.PACKETS_DISCONNECT)).as("DISCONNECT received").isZero();

        c.messageReceived(2);
        c.messageSent(0);
        assertThat(c.snapshot()).containsEntry("messages/received", 1L).containsEntry("messages/qos2/received", 1L)
                .containsEntry("messages/sent", 1L).containsEntry("messages/qos0/sent", 1L);
    }

    @Test
    void aStatsMaximumIsItsHighestObservedOrCurrentValue() {
        Counters c = new Counters();
        AtomicLong sessions = new AtomicLong();
        c.bind(Stat.SESSIONS, sessions::get);
        sessions.set(5);
        c.observe(Stat.SESSIONS, 5);
        sessions.set(2);
        assertThat(c.count(Stat.SESSIONS)).isEqualTo(2);
        assertThat(c.max(Stat.SESSIONS)).as("the peak between two reads").isEqualTo(5);

        sessions.set(7);                // grew without an observe: the read itself raises the maximum
        assertThat(c.stats()).containsEntry("sessions/count", 7L).containsEntry("sessions/max", 7L);
        sessions.set(0);
        assertThat(c.max(Stat.SESSIONS)).isEqualTo(7);
        assertThat(c.count(Stat.TOPICS)).as("nothing bound").isZero();
    }

    @Test
    void messagesRetainedIsAGaugeReadFromTheRetainedStat() {
        Counters c = new Counters();
        c.bind(Stat.RETAINED, () -> 3);
        assertThat(Counter.MESSAGES_RETAINED.isGauge()).isTrue();
        assertThat(c.get(Counter.MESSAGES_RETAINED)).isEqualTo(3);
        Map<String, Long> m = c.snapshot();
        assertThat(m).containsEntry("messages/retained", 3L);
    }

    @Test
    void listenerAndSourceRowsAreCountedApart() {
        Counters c = new Counters();
        ListenerCounters tcp = c.listener("tcp.external");
        tcp.bump(ListenerCounter.ACCEPTED);
        tcp.bump(ListenerCounter.ACCEPTED);
        c.listener("ws.external").bump(ListenerCounter.WEBSOCKET_UPGRADE_FAILURES);
        c.authOutcome("emq_auth_mysql", AuthOutcome.ERROR);
        c.authOutcome("emq_auth_username", AuthOutcome.FAILURE);

        assertThat(c.listener("tcp.external")).isSameAs(tcp);
        assertThat(c.snapshot()).containsEntry("listeners/tcp.external/connections/accepted", 2L)
                .containsEntry("listeners/ws.external/websocket/upgrade_failures", 1L)
                .containsEntry("listeners/ws.external/connections/accepted", 0L)
                .containsEntry("auth/emq_auth_mysql/error", 1L)
                .containsEntry("auth/emq_auth_username/failure", 1L);
        assertThat(c.auth("emq_auth_mysql", AuthOutcome.SUCCESS)).isZero();
        assertThat(c.auth("never_asked", AuthOutcome.SUCCESS)).isZero();
    }
}
