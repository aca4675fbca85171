package io.jemq.protocol;

import io.jemq.api.AuthResult;
import io.jemq.api.Authenticator;
import io.jemq.api.ClientInfo;
import io.jemq.transport.HandlerNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The protocol layer byte for byte, as Netty's codec tests do it: the bytes a client sends go into an
 * {@link EmbeddedConnection} over real broker services, and the bytes the broker writes back are asserted. Each
 * path of the connection (CONNECT accepted and refused, the QoS flows, topic aliases, SUBSCRIBE / UNSUBSCRIBE,
 * PINGREQ, DISCONNECT and the will, protocol errors, the keepalive) has its test here.
 */
class ConnectionBytesTest {
    static final String CONNECT_311_A = "10 0d 00 04 4d 51 54 54 04 02 00 3c 00 01 61";
    static final String CONNECT_311_B = "10 0d 00 04 4d 51 54 54 04 02 00 3c 00 01 62";
    static final String CONNECT_5_A = "10 0e 00 04 4d 51 54 54 05 02 00 3c 00 00 01 61";
    static final String CONNECT_5_B = "10 0e 00 04 4d 51 54 54 05 02 00 3c 00 00 01 62";
    /** 3.1.1, client id "w", will QoS 1 to w/t saying "bye". */
    static final String CONNECT_311_WILL = "10 17 00 04 4d 51 54 54 04 0e 00 3c 00 01 77 00 03 77 2f 74 00 03 62 79 65";
    static final String CONNACK_OK = "20 02 00 00";
    /** A 5.0 CONNACK as the defaults make it: receive maximum 1000, topic alias maximum 65535, packet size 64 KB. */
    static final String CONNACK_5_OK = "20 0e 00 00 0b 21 03 e8 22 ff ff 27 00 01 00 00";
    static final String SUBSCRIBE_311_WT_QOS2 = "82 08 00 01 00 03 77 2f 74 02";
    static final String SUBSCRIBE_5_WT_QOS2 = "82 09 00 01 00 00 03 77 2f 74 02";

    private EmbeddedServices broker = new EmbeddedServices();

    @AfterEach
    void closeAll() {
        broker.close();
    }

    private EmbeddedConnection connected(String connect, String connack) {
        EmbeddedConnection c = broker.connection().send(connect);
        assertThat(c.received()).isEqualTo(connack);
        return c;
    }

    @Nested
    class Connect {
        @Test
        void acceptsA311ClientWithReturnCode0() {
            assertThat(broker.connection().send(CONNECT_311_A).received()).isEqualTo(CONNACK_OK);
        }

        @Test
        void tellsA5ClientItsLimitsInTheConnack() {
            assertThat(broker.connection().send(CONNECT_5_A).received()).isEqualTo(CONNACK_5_OK);
        }

        @Test
        void tellsA5ClientTheIdItAssigned() {
            String ack = broker.connection().send("10 0d 00 04 4d 51 54 54 05 02 00 3c 00 00 00").received();
            // 0x12 Assigned Client Identifier: "jemq-" and 32 hex digits
            assertThat(ack).matches("20 36 00 00 33 21 03 e8 12 00 25 " + hex("jemq-") + "( [0-9a-f]{2}){32}"
                    + " 22 ff ff 27 00 01 00 00");
        }

        @Test
        void refusesAnEmptyClientIdWithoutCleanSessionWithReturnCode2() {
            EmbeddedConnection c = broker.connection().send("10 0c 00 04 4d 51 54 54 04 00 00 3c 00 00");
            assertThat(c.received()).isEqualTo("20 02 00 02");
            assertThat(c.isOpen()).isFalse();
        }

        @Test
        void refusesAnUnknownProtocolLevelWithReturnCode1() {
            EmbeddedConnection c = broker.connection().send("10 0d 00 04 4d 51 54 54 07 02 00 3c 00 01 61");
            assertThat(c.received()).isEqualTo("20 02 00 01");
            assertThat(c.isOpen()).isFalse();
        }

        @Test
        void refusesAnonymousClientsWhenNotAllowed() {
            broker = new EmbeddedServices("mqtt.allow_anonymous", "false");
            EmbeddedConnection v3 = broker.connection().send(CONNECT_311_A);
            assertThat(v3.received()).isEqualTo("20 02 00 05");
            assertThat(v3.isOpen()).isFalse();
            EmbeddedConnection v5 = broker.connection().send(CONNECT_5_B);
            assertThat(v5.received()).isEqualTo(connack5Refused(0x87, "not authorized: no authentication module "
                    + "accepted the client and mqtt.allow_anonymous is false"));
            assertThat(v5.isOpen()).isFalse();
        }

        @Test
        void refusesABadPasswordWithReturnCode4OrReasonCode0x86() {
            broker.access().auth().setSources(List.of(new Authenticator() {
                @Override
                public String name() {
                    return "deny-all";
                }

                @Override
                public CompletionStage<AuthResult> authenticate(ClientInfo client, byte[] password) {
                    return CompletableFuture.completedFuture(AuthResult.deny("bad password"));
                }
            }));
            assertThat(broker.connection().send(CONNECT_311_A).received()).isEqualTo("20 02 00 04");
            assertThat(broker.connection().send(CONNECT_5_B).received())
                    .isEqualTo(connack5Refused(0x86, "bad password"));
        }

        @Test
        void anAuthenticatorThatFailsGivesServerUnavailable() {
            broker.access().auth().setSources(List.of(new Authenticator() {
                @Override
                public String name() {
                    return "broken";
                }

                @Override
                public CompletionStage<AuthResult> authenticate(ClientInfo client, byte[] password) {
                    return CompletableFuture.failedFuture(new IllegalStateException("down"));
                }
            }));
            assertThat(broker.connection().send(CONNECT_311_A).received()).isEqualTo("20 02 00 03");
            assertThat(broker.connection().send(CONNECT_5_B).received())
                    .isEqualTo(connack5Refused(0x88, "authentication unavailable"));
        }
    }

    @Nested
    class Publish {
        @Test
        void qos0GoesToTheSubscriberAndNeedsNoAck() {
            EmbeddedConnection sub = connected(CONNECT_311_B, CONNACK_OK);
            assertThat(sub.send(SUBSCRIBE_311_WT_QOS2).received()).isEqualTo("90 03 00 01 02");
            EmbeddedConnection pub = connected(CONNECT_311_A, CONNACK_OK);
            assertThat(pub.send("30 07 00 03 77 2f 74 68 69").received()).isEmpty();
            assertThat(sub.received()).isEqualTo("30 07 00 03 77 2f 74 68 69");
        }

        @Test
        void qos1IsAcknowledgedWithPubackBothWays() {
            EmbeddedConnection sub = connected(CONNECT_311_B, CONNACK_OK);
            sub.send(SUBSCRIBE_311_WT_QOS2).received();
            EmbeddedConnection pub = connected(CONNECT_311_A, CONNACK_OK);
            assertThat(pub.send("32 09 00 03 77 2f 74 00 07 68 69").received()).isEqualTo("40 02 00 07");
            assertThat(sub.received()).isEqualTo("32 09 00 03 77 2f 74 00 01 68 69");
            assertThat(sub.send("40 02 00 01").received()).isEmpty();
            assertThat(sub.isOpen()).isTrue();
        }

        @Test
        void qos2GoesThroughPubrecPubrelPubcompBothWays() {
            EmbeddedConnection sub = connected(CONNECT_311_B, CONNACK_OK);
            sub.send(SUBSCRIBE_311_WT_QOS2).received();
            EmbeddedConnection pub = connected(CONNECT_311_A, CONNACK_OK);
            assertThat(pub.send("34 09 00 03 77 2f 74 00 07 68 69").received()).isEqualTo("50 02 00 07");
            assertThat(sub.received()).isEqualTo("34 09 00 03 77 2f 74 00 01 68 69");
            // a resend before PUBREL is acknowledged again, not routed again
            assertThat(pub.send("3c 09 00 03 77 2f 74 00 07 68 69").received()).isEqualTo("50 02 00 07");
            assertThat(sub.received()).isEmpty();
            assertThat(pub.send("62 02 00 07").received()).isEqualTo("70 02 00 07");
            assertThat(sub.send("50 02 00 01").received()).isEqualTo("62 02 00 01");
            assertThat(sub.send("70 02 00 01").received()).isEmpty();
            // a PUBREL for an id nobody waits for still gets its PUBCOMP
            assertThat(pub.send("62 02 00 08").received()).isEqualTo("70 02 00 08");
        }

        @Test
        void a5ClientLearnsThatNobodySubscribed() {
            EmbeddedConnection pub = connected(CONNECT_5_A, CONNACK_5_OK);
            assertThat(pub.send("32 0a 00 03 77 2f 74 00 01 00 68 69").received()).isEqualTo("40 04 00 01 10 00");
            assertThat(pub.send("34 0a 00 03 77 2f 74 00 02 00 68 69").received()).isEqualTo("50 04 00 02 10 00");
        }

        @Test
        void aTopicNameWithAWildcardIsMalformed() {
            EmbeddedConnection pub = connected(CONNECT_5_A, CONNACK_5_OK);
            pub.send("30 08 00 03 77 2f 2b 00 68 69");
            assertThat(pub.received()).isEqualTo(disconnect(0x81, "malformed packet"));
            assertThat(pub.isOpen()).isFalse();
        }

        @Test
        void aTopicNameWithTooManyLevelsIsInvalid() {
            broker = new EmbeddedServices("mqtt.max_topic_levels", "2");
            EmbeddedConnection pub = connected(CONNECT_5_A, CONNACK_5_OK);
            pub.send("30 0a 00 05 77 2f 74 2f 78 00 68 69");
            assertThat(pub.received()).isEqualTo(disconnect(0x90, "invalid topic name"));
            assertThat(pub.isOpen()).isFalse();
        }
    }

    @Nested
    class TopicAliases {
        @Test
        void anAliasSetOnceStandsForItsTopic() {
            EmbeddedConnection sub = connected(CONNECT_311_B, CONNACK_OK);
            sub.send(SUBSCRIBE_311_WT_QOS2).received();
            EmbeddedConnection pub = connected(CONNECT_5_A, CONNACK_5_OK);
            pub.send("30 0b 00 03 77 2f 74 03 23 00 01 68 69");
            pub.send("30 08 00 00 03 23 00 01 68 6f");
            assertThat(pub.received()).isEmpty();
            assertThat(sub.received()).isEqualTo("30 07 00 03 77 2f 74 68 69 30 07 00 03 77 2f 74 68 6f");
            assertThat(pub.isOpen()).isTrue();
        }

        @Test
        void alias0IsInvalid() {
            EmbeddedConnection pub = connected(CONNECT_5_A, CONNACK_5_OK);
            pub.send("30 0b 00 03 77 2f 74 03 23 00 00 68 69");
            assertThat(pub.received()).isEqualTo(disconnect(0x94, "topic alias 0 above the maximum 65535"));
            assertThat(pub.isOpen()).isFalse();
        }

        @Test
        void anAliasAboveTheMaximumIsInvalid() {
            broker = new EmbeddedServices("mqtt.max_topic_alias", "10");
            EmbeddedConnection pub = broker.connection().send(CONNECT_5_A);
            assertThat(pub.received()).isEqualTo("20 0e 00 00 0b 21 03 e8 22 00 0a 27 00 01 00 00");
            pub.send("30 0b 00 03 77 2f 74 03 23 00 0b 68 69");
            assertThat(pub.received()).isEqualTo(disconnect(0x94, "topic alias 11 above the maximum 10"));
            assertThat(pub.isOpen()).isFalse();
        }

        @Test
        void anUnknownAliasIsAProtocolError() {
            EmbeddedConnection pub = connected(CONNECT_5_A, CONNACK_5_OK);
            pub.send("30 08 00 00 03 23 00 05 68 69");
            assertThat(pub.received()).isEqualTo(disconnect(0x82, "unknown topic alias 5"));
            assertThat(pub.isOpen()).isFalse();
        }
    }

    @Nested
    class Subscriptions {
        @Test
        void refusedFiltersGet0x80In311() {
            EmbeddedConnection c = connected(CONNECT_311_A, CONNACK_OK);
            // w/t at QoS 1 and w/#/x, which is no filter
            c.send("82 10 00 05 00 03 77 2f 74 01 00 05 77 2f 23 2f 78 00");
            assertThat(c.received()).isEqualTo("90 04 00 05 01 80");
        }

        @Test
        void refusedFiltersGetTheirReasonIn5() {
            EmbeddedConnection c = connected(CONNECT_5_A, CONNACK_5_OK);
            c.send("82 11 00 05 00 00 03 77 2f 74 01 00 05 77 2f 23 2f 78 00");
            assertThat(c.received()).isEqualTo("90 05 00 05 00 01 8f");
        }

        @Test
        void aSubscriptionAboveTheMaximumIsRefusedAsQuotaExceeded() {
            broker = new EmbeddedServices("mqtt.session.max_subscriptions", "1");
            EmbeddedConnection c = broker.connection().send(CONNECT_5_A);
            c.received();
            c.send("82 11 00 05 00 00 03 77 2f 74 01 00 05 77 2f 74 2f 78 00");
            assertThat(c.received()).isEqualTo("90 05 00 05 00 01 97");
        }

        @Test
        void unsubscribeIsAcknowledged() {
            EmbeddedConnection v3 = connected(CONNECT_311_A, CONNACK_OK);
            v3.send(SUBSCRIBE_311_WT_QOS2).received();
            assertThat(v3.send("a2 07 00 02 00 03 77 2f 74").received()).isEqualTo("b0 02 00 02");
            EmbeddedConnection v5 = connected(CONNECT_5_B, CONNACK_5_OK);
            v5.send(SUBSCRIBE_5_WT_QOS2);
            assertThat(v5.received()).isEqualTo("90 04 00 01 00 02");
            // one that existed, one that did not
            v5.send("a2 0d 00 02 00 00 03 77 2f 74 00 03 77 2f 75");
            assertThat(v5.received()).isEqualTo("b0 05 00 02 00 00 11");
        }

        @Test
        void aRetainedMessageComesWithTheSubscribe() {
            EmbeddedConnection pub = connected(CONNECT_311_A, CONNACK_OK);
            pub.send("31 07 00 03 77 2f 74 68 69");
            EmbeddedConnection sub = connected(CONNECT_311_B, CONNACK_OK);
            assertThat(sub.send(SUBSCRIBE_311_WT_QOS2).received())
                    .isEqualTo("90 03 00 01 02 31 07 00 03 77 2f 74 68 69");
        }

        @Test
        void pingreqGetsPingresp() {
            EmbeddedConnection c = connected(CONNECT_311_A, CONNACK_OK);
            assertThat(c.send("c0 00").received()).isEqualTo("d0 00");
        }
    }

    @Nested
    class WillAndDisconnect {
        @Test
        void aDisconnectClearsTheWill() {
            EmbeddedConnection sub = connected(CONNECT_311_B, CONNACK_OK);
            sub.send(SUBSCRIBE_311_WT_QOS2).received();
            EmbeddedConnection w = connected(CONNECT_311_WILL, CONNACK_OK);
            w.send("e0 00");
            assertThat(w.isOpen()).isFalse();
            assertThat(w.received()).isEmpty();
            assertThat(sub.received()).isEmpty();
        }

        @Test
        void theWillIsPublishedWhenTheConnectionIsLost() {
            EmbeddedConnection sub = connected(CONNECT_311_B, CONNACK_OK);
            sub.send(SUBSCRIBE_311_WT_QOS2).received();
            EmbeddedConnection w = connected(CONNECT_311_WILL, CONNACK_OK);
            w.drop();
            assertThat(sub.received()).isEqualTo("32 0a 00 03 77 2f 74 00 01 62 79 65");
        }

        @Test
        void a5DisconnectWithWillKeepsTheWill() {
            EmbeddedConnection sub = connected(CONNECT_311_B, CONNACK_OK);
            sub.send(SUBSCRIBE_311_WT_QOS2).received();
            // 5.0, client id "w", will QoS 0 to w/t saying "bye", no properties
            EmbeddedConnection w = connected(
                    "10 19 00 04 4d 51 54 54 05 06 00 3c 00 00 01 77 00 00 03 77 2f 74 00 03 62 79 65",
                    CONNACK_5_OK);
            w.send("e0 02 04 00");
            assertThat(w.isOpen()).isFalse();
            assertThat(sub.received()).isEqualTo("30 08 00 03 77 2f 74 62 79 65");
        }
    }

    @Nested
    class ProtocolErrors {
        @Test
        void aSecondConnectCloses() {
            EmbeddedConnection v3 = connected(CONNECT_311_A, CONNACK_OK);
            v3.send(CONNECT_311_A);
            assertThat(v3.received()).isEmpty();
            assertThat(v3.isOpen()).isFalse();
            EmbeddedConnection v5 = connected(CONNECT_5_B, CONNACK_5_OK);
            v5.send(CONNECT_5_B);
            assertThat(v5.received()).isEqualTo(disconnect(0x82, "second CONNECT"));
            assertThat(v5.isOpen()).isFalse();
        }

        @Test
        void aPacketBeforeConnectCloses() {
            EmbeddedConnection c = broker.connection().send("c0 00");
            assertThat(c.received()).isEmpty();
            assertThat(c.isOpen()).isFalse();
        }

        @Test
        void aServerPacketFromAClientCloses() {
            EmbeddedConnection c = connected(CONNECT_5_A, CONNACK_5_OK);
            c.send("d0 00");
            assertThat(c.received()).isEqualTo(disconnect(0x82, "unexpected PINGRESP from a client"));
            assertThat(c.isOpen()).isFalse();
        }
    }

    @Nested
    class Keepalive {
        @Test
        void theKeepaliveReplacesTheConnectTimeout() {
            EmbeddedConnection c = connected(CONNECT_311_A, CONNACK_OK);
            var handler = (ConnectionHandler) c.channel().pipeline().get(HandlerNames.CONNECTION);
            assertThat(handler.silenceAllowedMillis()).as("60 s × 0.75 × 2").isEqualTo(90_000);
        }

        @Test
        void aSilentClientIsDisconnectedAfterOneAndAHalfKeepalives() {
            // 5.0, client id "a", keepalive 1 s
            // the CONNACK is read after the close: on a starved machine 1.5 s may pass before this thread runs again
            EmbeddedConnection c = broker.connection().send("10 0e 00 04 4d 51 54 54 05 02 00 01 00 00 01 61");
            await().atMost(Duration.ofSeconds(5)).until(() -> !c.isOpen());
            assertThat(c.received()).isEqualTo(CONNACK_5_OK + " " + disconnect(0x8d, "keepalive timeout"));
        }
    }

    // ---------------------------------------------------------------- expected bytes

    static String hex(String text) {
        return HexFormat.ofDelimiter(" ").formatHex(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A 5.0 packet of one reason code and a Reason String property, e.g. DISCONNECT 0x94 "…". */
    static String disconnect(int reasonCode, String reason) {
        return withReasonString(0xe0, "", reasonCode, reason);
    }

    static String connack5Refused(int reasonCode, String reason) {
        return withReasonString(0x20, "00", reasonCode, reason);
    }

    private static String withReasonString(int first, String before, int reasonCode, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        int props = 3 + text.length;
        int remaining = (before.isEmpty() ? 0 : 1) + 1 + varIntLength(props) + props;
        HexFormat h = HexFormat.ofDelimiter(" ");
        StringBuilder b = new StringBuilder(String.format("%02x %s", first, varInt(remaining)));
        if (!before.isEmpty()) {
            b.append(' ').append(before);
        }
        b.append(String.format(" %02x %s 1f %02x %02x ", reasonCode, varInt(props), text.length >> 8,
                text.length & 0xff));
        return b.append(h.formatHex(text)).toString();
    }

    private static int varIntLength(int n) {
        return n < 128 ? 1 : n < 16384 ? 2 : 3;
    }

    private static String varInt(int n) {
        StringBuilder b = new StringBuilder();
        do {
            int digit = n % 128;
            n /= 128;
            if (n > 0) {
                digit |= 0x80;
            }
            b.append(b.isEmpty() ? "" : " ").append(String.format("%02x", digit));
        } while (n > 0);
        return b.toString();
    }
}
