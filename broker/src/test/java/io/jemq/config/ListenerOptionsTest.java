package io.jemq.config;

import io.jemq.testkit.LogCapture;
import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The per-listener options of the listeners issue: access, rate limit, mountpoint, TLS and WebSocket keys. */
class ListenerOptionsTest {
    private static ListenerSettings listener(String... keyValues) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            entries.put(keyValues[i], keyValues[i + 1]);
        }
        return BrokerSettings.from(ConfFile.of(entries)).listeners().get(0);
    }

    @Test
    void socketLevelDefaultsAreEmqs() {
        ListenerSettings l = listener("listener.tcp.external", "1883");

        assertThat(l.access()).containsExactly(AccessRule.ALLOW_ALL);
        assertThat(l.sendTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(l.sendTimeoutClose()).isTrue();
        assertThat(l.mountpoint()).isEmpty();
        assertThat(l.rateLimit()).isEmpty();
        assertThat(l.proxyProtocol()).isFalse();
        assertThat(l.proxyProtocolTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(l.peerCertAsUsername()).isEqualTo(PeerCertIdentity.OFF);
        assertThat(l.tls()).isEmpty();
        assertThat(l.webSocket()).isEmpty();
    }

    @Test
    void accessRulesAreOrderedByTheirNumberNotAsText() throws Exception {
        ListenerSettings l = listener("listener.tcp.external", "1883",
                "listener.tcp.external.access.10", "deny all",
                "listener.tcp.external.access.2", "allow 192.168.1.0/24",
                "listener.tcp.external.access.1", "deny 192.168.1.7");

        assertThat(l.access()).extracting(AccessRule::toString)
                .containsExactly("deny 192.168.1.7/32", "allow 192.168.1.0/24", "deny all");
        assertThat(AccessRule.allows(l.access(), InetAddress.getByName("192.168.1.7"))).isFalse();
        assertThat(AccessRule.allows(l.access(), InetAddress.getByName("192.168.1.8"))).isTrue();
        assertThat(AccessRule.allows(l.access(), InetAddress.getByName("10.0.0.1"))).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "allow all              | 10.1.2.3        | true",
            "deny all               | ::1             | true",
            "deny 10.0.0.0/8        | 10.255.0.1      | true",
            "deny 10.0.0.0/8        | 11.0.0.1        | false",
            "allow 172.16.0.0/12    | 172.31.255.255  | true",
            "allow 172.16.0.0/12    | 172.32.0.0      | false",
            "allow 2001:db8::/32    | 2001:db8:1::5   | true",
            "allow 2001:db8::/32    | 2001:db9::5     | false",
            "deny 127.0.0.1         | ::ffff:127.0.0.1 | true",
            "deny 127.0.0.0/8       | ::1             | false",
            "allow 0.0.0.0/0        | 8.8.8.8         | true",
    })
    void ruleMatching(String rule, String peer, boolean matches) throws Exception {
        assertThat(AccessRule.parse(rule).matches(InetAddress.getByName(peer))).isEqualTo(matches);
    }

    @Test
    void noMatchingRuleAllows() throws Exception {
        assertThat(AccessRule.allows(List.of(AccessRule.parse("deny 10.0.0.0/8")),
                InetAddress.getByName("192.168.0.1"))).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"allow", "permit all", "allow 10.0.0.0/33", "deny example.com",
            "allow 10.0.0.0/8/8", "allow all now"})
    void badAccessRulesNameTheirKey(String rule) {
        assertThatThrownBy(() -> listener("listener.tcp.external", "1883", "listener.tcp.external.access.1", rule))
                .hasMessage("<settings>: listener.tcp.external.access.1: expected " + AccessRule.EXPECTED
                        + ", got \"" + rule + "\"");
    }

    @Test
    void rateLimitIsEmqsBurstAndRateInKilobytes() {
        assertThat(listener("listener.tcp.external", "1883", "listener.tcp.external.rate_limit", "100,10")
                .rateLimit()).contains(new RateLimit(100 * 1024, 10 * 1024));
        assertThat(listener("listener.tcp.external", "1883", "listener.tcp.external.rate_limit", "1MB, 64KB")
                .rateLimit()).contains(new RateLimit(1024 * 1024, 64 * 1024));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"100", "0,10", "10,0", "a,b", "1,2,3"})
    void badRateLimits(String value) {
        assertThatThrownBy(() -> listener("listener.tcp.external", "1883", "listener.tcp.external.rate_limit", value))
                .hasMessageContaining("listener.tcp.external.rate_limit: expected " + RateLimit.EXPECTED);
    }

    @Test
    void mountpointSendTimeoutAndProxyProtocol() {
        ListenerSettings l = listener("listener.tcp.external", "1883",
                "listener.tcp.external.mountpoint", "tenants/%u/",
                "listener.tcp.external.send_timeout", "5s",
                "listener.tcp.external.send_timeout_close", "off",
                "listener.tcp.external.proxy_protocol", "on",
                "listener.tcp.external.proxy_protocol_timeout", "1s");

        assertThat(l.mountpoint()).isEqualTo("tenants/%u/");
        assertThat(l.sendTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(l.sendTimeoutClose()).isFalse();
        assertThat(l.proxyProtocol()).isTrue();
        assertThat(l.proxyProtocolTimeout()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aMountpointWithAWildcardIsRefused() {
        assertThatThrownBy(() -> listener("listener.tcp.external", "1883", "listener.tcp.external.mountpoint", "a/#"))
                .hasMessageContaining("listener.tcp.external.mountpoint: expected a topic prefix without + or #");
    }

    @Test
    void sslKeysWithEmqsNames() {
        ListenerSettings l = listener("listener.ssl.external", "8883",
                "listener.ssl.external.keyfile", "/etc/jemq/key.pem",
                "listener.ssl.external.certfile", "/etc/jemq/cert.pem",
                "listener.ssl.external.cacertfile", "/etc/jemq/ca.pem",
                "listener.ssl.external.verify", "verify_peer",
                "listener.ssl.external.fail_if_no_peer_cert", "true",
                "listener.ssl.external.tls_versions", "tlsv1.2,tlsv1.1,tlsv1",
                "listener.ssl.external.ciphers", "ECDHE-ECDSA-AES256-GCM-SHA384, ECDHE-RSA-AES256-GCM-SHA384",
                "listener.ssl.external.handshake_timeout", "5s",
                "listener.ssl.external.peer_cert_as_username", "cn",
                "listener.ssl.external.peer_cert_as_clientid", "dn");

        assertThat(l.tls()).contains(new TlsSettings(Path.of("/etc/jemq/key.pem"), Path.of("/etc/jemq/cert.pem"),
                Optional.of(Path.of("/etc/jemq/ca.pem")), true, true, List.of("TLSv1.2", "TLSv1.1", "TLSv1"),
                List.of("ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384"), Duration.ofSeconds(5)));
        assertThat(l.peerCertAsUsername()).isEqualTo(PeerCertIdentity.CN);
        assertThat(l.peerCertAsClientid()).isEqualTo(PeerCertIdentity.DN);
        assertThat(l.webSocket()).isEmpty();
    }

    @Test
    void sslDefaultsAreTheShippedFilesTls13And12AndNoClientCertificate() {
        TlsSettings tls = listener("listener.ssl.external", "8883").tls().orElseThrow();

        assertThat(tls.keyfile()).isEqualTo(Path.of("etc/certs/key.pem"));
        assertThat(tls.certfile()).isEqualTo(Path.of("etc/certs/cert.pem"));
        assertThat(tls.cacertfile()).isEmpty();
        assertThat(tls.verifyPeer()).isFalse();
        assertThat(tls.versions()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(tls.handshakeTimeout()).isEqualTo(Duration.ofSeconds(15));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "verify               | verify_maybe | verify_peer or verify_none",
            "tls_versions         | sslv3        | " + TlsSettings.EXPECTED_VERSIONS,
            "peer_cert_as_username | uid         | one of off, cn, dn",
    })
    void badTlsValuesNameTheirKey(String option, String value, String expected) {
        String key = "listener.ssl.external." + option;
        assertThatThrownBy(() -> listener("listener.ssl.external", "8883", key, value))
                .hasMessage("<settings>: " + key + ": expected " + expected + ", got \"" + value + "\"");
    }

    @Test
    void webSocketPathHeadersAndTheGlobalProtocolHeaderSwitch() {
        ListenerSettings l = listener("listener.ws.external", "8083",
                "listener.ws.external.mqtt_path", "/ws",
                "listener.ws.external.proxy_address_header", "X-Forwarded-For",
                "listener.ws.external.proxy_port_header", "X-Forwarded-Port",
                "mqtt.websocket_protocol_header", "off");

        assertThat(l.webSocket()).contains(new WebSocketSettings("/ws", false, Optional.of("X-Forwarded-For"),
                Optional.of("X-Forwarded-Port")));
        assertThat(l.tls()).isEmpty();
        assertThat(listener("listener.wss.external", "8084").webSocket())
                .contains(new WebSocketSettings("/mqtt", true, Optional.empty(), Optional.empty()));
    }

    @Test
    void anOptionTheProtocolDoesNotHaveIsWarnedAboutWithItsLine() {
        try (LogCapture log = new LogCapture("io.jemq.config")) {
            listener("listener.tcp.external", "1883",
                    "listener.tcp.external.keyfile", "etc/certs/key.pem",
                    "listener.tcp.external.max_clinets", "10",
                    "listener.tcp.external.reuseaddr", "true");

            assertThat(log.messages(Level.WARN)).containsExactly(
                    "<settings>: unknown key listener.tcp.external.keyfile, ignored (not an option of tcp listeners)",
                    "<settings>: unknown key listener.tcp.external.max_clinets, ignored "
                            + "(not an option of tcp listeners)");
        }
    }

    @Test
    void aZoneIsSaidToHaveNoEffectYet() {
        try (LogCapture log = new LogCapture("io.jemq.config")) {
            listener("listener.tcp.external", "1883", "listener.tcp.external.zone", "external");

            assertThat(log.messages(Level.WARN)).containsExactly("<settings>: listener.tcp.external.zone has no "
                    + "effect yet: every listener uses the mqtt.session.* settings");
        }
    }
}
