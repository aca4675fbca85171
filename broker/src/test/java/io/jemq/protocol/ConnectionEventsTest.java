package io.jemq.protocol;

import io.jemq.api.BrokerListener;
import io.jemq.api.ClientInfo;
import io.jemq.api.DisconnectReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.jemq.protocol.ConnectionBytesTest.CONNACK_5_OK;
import static io.jemq.protocol.ConnectionBytesTest.CONNACK_OK;
import static io.jemq.protocol.ConnectionBytesTest.CONNECT_311_A;
import static io.jemq.protocol.ConnectionBytesTest.CONNECT_5_A;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The broker events the protocol layer fires, seen by a listener on the embedded services: the code a refused CONNECT
 * was answered with (as the client's version got it), the filter as the client wrote it, and the reason each kind of
 * ending is reported with.
 */
class ConnectionEventsTest {
    private EmbeddedServices broker = new EmbeddedServices();
    private final List<String> events = new ArrayList<>();
    private final BrokerListener recorder = new BrokerListener() {
        @Override
        public void clientConnected(ClientInfo client, int connackCode) {
            events.add("connected " + client.clientId() + " " + connackCode);
        }

        @Override
        public void clientDisconnected(ClientInfo client, DisconnectReason reason) {
            events.add("disconnected " + client.clientId() + " " + reason);
        }

        @Override
        public void subscribed(ClientInfo client, String filter, int qos) {
            events.add("subscribed " + filter + " " + qos);
        }

        @Override
        public void unsubscribed(ClientInfo client, String filter) {
            events.add("unsubscribed " + filter);
        }
    };

    private EmbeddedServices listened(String... keyValues) {
        broker = new EmbeddedServices(keyValues);
        broker.events().add(recorder);
        return broker;
    }

    @AfterEach
    void closeAll() {
        broker.close();
    }

    @Test
    void aRefusalIsReportedWithTheCodeTheClientGot() {
        listened("mqtt.allow_anonymous", "false");
        broker.connection().send(CONNECT_311_A).received();
        broker.connection().send("10 0e 00 04 4d 51 54 54 05 02 00 3c 00 00 01 62").received();
        assertThat(events).containsExactly("connected a 5", "connected b 135");
    }

    @Test
    void subscriptionsAreReportedAsTheClientWroteThem() {
        listened();
        EmbeddedConnection c = broker.connection().send(CONNECT_5_A);
        assertThat(c.received()).isEqualTo(CONNACK_5_OK);
        c.send("82 10 00 01 00 00 0a 24 73 68 61 72 65 2f 67 2f 74 01").received();
        c.send("a2 0f 00 02 00 00 0a 24 73 68 61 72 65 2f 67 2f 74").received();
        assertThat(events).containsExactly("connected a 0", "subscribed $share/g/t 1", "unsubscribed $share/g/t");
    }

    @Test
    void eachEndingHasItsReason() {
        listened();
        broker.connection().send(CONNECT_311_A).send("e0 00");
        broker.connection().send(CONNECT_5_A.replace("01 61", "01 62")).drop();
        broker.connection().send(CONNECT_5_A.replace("01 61", "01 63")).send("30 08 00 03 77 2f 2b 00 68 69");
        broker.connection().send(CONNECT_5_A.replace("01 61", "01 64")).send("d0 00");
        assertThat(events).containsExactly(
                "connected a 0", "disconnected a NORMAL",
                "connected b 0", "disconnected b CLOSED",
                "connected c 0", "disconnected c MALFORMED_PACKET",
                "connected d 0", "disconnected d PROTOCOL_ERROR");
    }

    @Test
    void nobodyListeningChangesNothingOnTheWire() {
        EmbeddedConnection c = broker.connection().send(CONNECT_311_A);
        assertThat(c.received()).isEqualTo(CONNACK_OK);
        assertThat(c.send("82 08 00 01 00 03 77 2f 74 01").received()).isEqualTo("90 03 00 01 01");
        assertThat(events).isEmpty();
    }
}
