package io.jemq.it;

import io.jemq.testkit.EmbeddedBroker;
import io.jemq.testkit.Packet;
import io.jemq.testkit.Packets;
import io.jemq.testkit.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Packets a client sends right behind its CONNECT, or behind a PUBLISH whose ACL answer is asynchronous, wait in
 * order: everything is answered, in the order sent, after CONNACK.
 */
class PipelinedBehindAccessIT {
    @TempDir
    Path home;

    @Test
    void packetsSentBehindASlowConnectAreHandledInOrderAfterConnack() throws Exception {
        EmbeddedBroker.Builder f = EmbeddedBroker.in(home).pluginConf("test_a", """
                scripted.broken = off
                scripted.auth.slow = slow-allow
                scripted.acl.t/async = async-allow
                """).loaded("test_a").set("mqtt.acl_cache.enable", "off");
        try (EmbeddedBroker b = f.start(); RawClient c = RawClient.open(b.port())) {
            c.send(Packets.connect(4, "pipelined").credentials("slow", "x").bytes(),
                    Packets.subscribe(4, 1, "t/#", 1),
                    Packets.publish(4, "t/async", 1, 2, "one"),
                    Packets.publish(4, "t/sync", 1, 3, "two"),
                    Packets.pingreq());
            List<String> seen = new ArrayList<>();
            while (seen.size() < 7) {
                Packet p = c.receive(Duration.ofSeconds(5));
                switch (p.type()) {
                    case Packets.CONNACK -> seen.add("CONNACK " + p.connackCode());
                    case Packets.SUBACK -> seen.add("SUBACK " + p.packetId());
                    case Packets.PUBACK -> seen.add("PUBACK " + p.packetId());
                    case Packets.PUBLISH -> {
                        seen.add("PUBLISH " + p.topic() + " " + p.payload());
                        if (p.qos() == 1) {
                            c.send(Packets.ack(Packets.PUBACK, p.publishId()));
                        }
                    }
                    case Packets.PINGRESP -> seen.add("PINGRESP");
                    default -> seen.add("other " + p.type());
                }
            }
            // the broker's acks follow the client's order; each delivery comes after its publish was accepted
            assertThat(seen.stream().filter(s -> !s.startsWith("PUBLISH")).toList())
                    .containsExactly("CONNACK 0", "SUBACK 1", "PUBACK 2", "PUBACK 3", "PINGRESP");
            assertThat(seen.stream().filter(s -> s.startsWith("PUBLISH")).toList())
                    .containsExactly("PUBLISH t/async one", "PUBLISH t/sync two");
            assertThat(seen.indexOf("PUBLISH t/async one")).isGreaterThan(seen.indexOf("SUBACK 1"));
        }
    }
}
