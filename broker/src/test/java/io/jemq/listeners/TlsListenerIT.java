package io.jemq.listeners;

import ch.qos.logback.classic.Level;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import io.jemq.api.ClientInfo;
import io.jemq.sys.ListenerCounter;
import io.jemq.testkit.LogCapture;
import io.jemq.testkit.Packets;
import io.jemq.testkit.TestPki;
import io.jemq.testkit.TrustFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** TLS listeners with certificates made at test time: client certificates, their names, versions, timeouts. */
class TlsListenerIT {
    @TempDir
    Path dir;

    private Map<String, String> ssl(TestPki pki, String... more) {
        Map<String, String> conf = ListenerBroker.conf(
                "listener.ssl.test", "127.0.0.1:0",
                "listener.ssl.test.keyfile", pki.server.keyFile().toString(),
                "listener.ssl.test.certfile", pki.server.certFile().toString());
        conf.putAll(ListenerBroker.conf(more));
        return conf;
    }

    private Map<String, String> requiringClientCertificates(TestPki pki, String... more) {
        Map<String, String> conf = ssl(pki,
                "listener.ssl.test.cacertfile", pki.ca.certFile().toString(),
                "listener.ssl.test.verify", "verify_peer",
                "listener.ssl.test.fail_if_no_peer_cert", "true");
        conf.putAll(ListenerBroker.conf(more));
        return conf;
    }

    private static Mqtt3BlockingClient client(ListenerBroker b, TestPki trusted, TestPki.Issued presented,
                                              TestPki presentedBy, String id) {
        var ssl = MqttClient.builder().identifier(id).serverHost("127.0.0.1").serverPort(b.port("ssl.test"))
                .sslConfig().trustManagerFactory(trusted.trust());
        if (presented != null) {
            ssl = ssl.keyManagerFactory(presentedBy.keys(presented));
        }
        return ssl.applySslConfig().useMqttVersion3().buildBlocking();
    }

    @Test
    void aClientCertificateFromTheCaIsAcceptedAndNoneIsRefused() {
        TestPki pki = new TestPki(dir, "required");
        TestPki.Issued device = pki.client("device", "O=Acme,CN=device-1");
        try (LogCapture log = new LogCapture("io.jemq"); ListenerBroker b = ListenerBroker.start(
                requiringClientCertificates(pki))) {
            Mqtt3BlockingClient with = client(b, pki, device, pki, "with-cert");
            assertThat(with.connect().getReturnCode()).isEqualTo(Mqtt3ConnAckReturnCode.SUCCESS);
            with.disconnect();

            Mqtt3BlockingClient without = client(b, pki, null, null, "without-cert");
            assertThatThrownBy(without::connect).isInstanceOf(RuntimeException.class);

            await().untilAsserted(() -> assertThat(log.messages(Level.INFO))
                    .anyMatch(m -> m.startsWith("ssl.test: TLS handshake with /127.0.0.1:") && m.contains("failed")));
            assertThat(log.withStackTraceAtInfoOrAbove()).isEmpty();
        }
    }

    @Test
    void aClientCertificateFromAnotherCaIsRefused() {
        TestPki pki = new TestPki(dir, "ours");
        TestPki other = new TestPki(dir, "theirs");
        TestPki.Issued stranger = other.client("stranger", "CN=stranger");
        try (LogCapture log = new LogCapture("io.jemq"); ListenerBroker b = ListenerBroker.start(
                requiringClientCertificates(pki))) {
            Mqtt3BlockingClient c = client(b, pki, stranger, other, "stranger");

            assertThatThrownBy(c::connect).isInstanceOf(RuntimeException.class);
            await().untilAsserted(() -> assertThat(log.messages(Level.INFO)).anyMatch(m -> m.contains("failed")));
            assertThat(log.withStackTraceAtInfoOrAbove()).isEmpty();
        }
    }

    @Test
    void verifyPeerWithoutFailIfNoPeerCertLetsClientsWithoutOneIn() {
        TestPki pki = new TestPki(dir, "optional");
        try (ListenerBroker b = ListenerBroker.start(ssl(pki,
                "listener.ssl.test.cacertfile", pki.ca.certFile().toString(),
                "listener.ssl.test.verify", "verify_peer"))) {
            Mqtt3BlockingClient c = client(b, pki, null, null, "no-cert");

            assertThat(c.connect().getReturnCode()).isEqualTo(Mqtt3ConnAckReturnCode.SUCCESS);
            c.disconnect();
        }
    }

    @Test
    void peerCertAsUsernameCnGivesTheAuthChainTheCommonName() throws Exception {
        TestPki pki = new TestPki(dir, "names");
        TestPki.Issued device = pki.client("sensor", "O=Acme,OU=Floor 3,CN=sensor-42");
        try (ListenerBroker b = ListenerBroker.start(requiringClientCertificates(pki,
                "listener.ssl.test.peer_cert_as_username", "cn"))) {
            MqttClient.builder().identifier("s42").serverHost("127.0.0.1").serverPort(b.port("ssl.test"))
                    .sslConfig().trustManagerFactory(pki.trust()).keyManagerFactory(pki.keys(device)).applySslConfig()
                    .useMqttVersion3().simpleAuth().username("claimed-name").password("x".getBytes()).applySimpleAuth()
                    .buildBlocking().connect();

            ClientInfo seen = b.nextAuthenticated();
            assertThat(seen.username()).isEqualTo("sensor-42");
            assertThat(seen.clientId()).isEqualTo("s42");
            assertThat(seen.certCommonName()).isEqualTo("sensor-42");
            assertThat(seen.certSubject()).isEqualTo("CN=sensor-42,OU=Floor 3,O=Acme");
            assertThat(seen.listenerId()).isEqualTo("ssl.test");
        }
    }

    @Test
    void peerCertAsUsernameDnAndAsClientIdCn() throws Exception {
        TestPki pki = new TestPki(dir, "dn");
        TestPki.Issued device = pki.client("meter", "O=Acme,CN=meter-7");
        try (ListenerBroker b = ListenerBroker.start(requiringClientCertificates(pki,
                "listener.ssl.test.peer_cert_as_username", "dn",
                "listener.ssl.test.peer_cert_as_clientid", "cn"))) {
            client(b, pki, device, pki, "whatever").connect();

            ClientInfo seen = b.nextAuthenticated();
            assertThat(seen.username()).isEqualTo("CN=meter-7,O=Acme");
            assertThat(seen.clientId()).isEqualTo("meter-7");
        }
    }

    @Test
    void withoutPeerCertAsUsernameTheClaimedNameStays() throws Exception {
        TestPki pki = new TestPki(dir, "claimed");
        TestPki.Issued device = pki.client("d", "CN=cert-name");
        try (ListenerBroker b = ListenerBroker.start(requiringClientCertificates(pki))) {
            MqttClient.builder().identifier("d").serverHost("127.0.0.1").serverPort(b.port("ssl.test"))
                    .sslConfig().trustManagerFactory(pki.trust()).keyManagerFactory(pki.keys(device)).applySslConfig()
                    .useMqttVersion3().simpleAuth().username("claimed").applySimpleAuth().buildBlocking().connect();

            ClientInfo seen = b.nextAuthenticated();
            assertThat(seen.username()).isEqualTo("claimed");
            assertThat(seen.certCommonName()).isEqualTo("cert-name");
        }
    }

    @Test
    void emqStylePkcs1RsaKeysWork() {
        TestPki pki = new TestPki(dir, "pkcs1");
        TestPki.Issued rsa = pki.rsaServerWithPkcs1Key();
        try (ListenerBroker b = ListenerBroker.start(
                "listener.ssl.test", "127.0.0.1:0",
                "listener.ssl.test.keyfile", rsa.keyFile().toString(),
                "listener.ssl.test.certfile", rsa.certFile().toString())) {
            assertThat(pki.server.keyFile()).content().startsWith("-----BEGIN PRIVATE KEY-----");
            assertThat(rsa.keyFile()).content().startsWith("-----BEGIN RSA PRIVATE KEY-----");
            Mqtt3BlockingClient c = client(b, pki, null, null, "rsa");

            assertThat(c.connect().getReturnCode()).isEqualTo(Mqtt3ConnAckReturnCode.SUCCESS);
            c.disconnect();
        }
    }

    @Test
    void tlsVersionsLimitWhatIsOffered() throws Exception {
        TestPki pki = new TestPki(dir, "versions");
        try (ListenerBroker b = ListenerBroker.start(ssl(pki, "listener.ssl.test.tls_versions", "tlsv1.2"))) {
            assertThat(handshake(pki, b, "TLSv1.2")).isEqualTo("TLSv1.2");
            assertThatThrownBy(() -> handshake(pki, b, "TLSv1.3")).isInstanceOf(java.io.IOException.class);
        }
        try (ListenerBroker b = ListenerBroker.start(ssl(pki))) {
            assertThat(handshake(pki, b, "TLSv1.3")).isEqualTo("TLSv1.3");
            assertThat(handshake(pki, b, "TLSv1.2")).isEqualTo("TLSv1.2");
        }
        // the value EMQ's emq.conf suggests
        try (ListenerBroker b = ListenerBroker.start(ssl(pki, "listener.ssl.test.tls_versions",
                "tlsv1.2,tlsv1.1,tlsv1"))) {
            assertThat(handshake(pki, b, "TLSv1.2")).isEqualTo("TLSv1.2");
        }
    }

    @Test
    void anUnknownCipherStopsTheStartInsteadOfFailingEveryConnection() {
        TestPki pki = new TestPki(dir, "badcipher");
        Map<String, String> conf = ssl(pki, "listener.ssl.test.ciphers", "NO-SUCH-CIPHER");

        assertThatThrownBy(() -> ListenerBroker.start(conf)).rootCause().hasMessageStartingWith(
                "cannot listen on 127.0.0.1:0 (ssl.test): listener.ssl.test: cannot set up TLS with ");
    }

    @Test
    void ciphersInOpenSslNamesLimitWhatIsNegotiated() throws Exception {
        TestPki pki = new TestPki(dir, "ciphers");
        try (ListenerBroker b = ListenerBroker.start(ssl(pki, "listener.ssl.test.tls_versions", "tlsv1.2",
                "listener.ssl.test.ciphers", "ECDHE-ECDSA-AES128-GCM-SHA256"))) {
            try (SSLSocket s = (SSLSocket) pki.sslContext(null).getSocketFactory()
                    .createSocket("127.0.0.1", b.port("ssl.test"))) {
                s.setEnabledProtocols(new String[]{"TLSv1.2"});
                s.startHandshake();
                assertThat(s.getSession().getCipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
            }
        }
    }

    @Test
    void aHandshakeThatNeverStartsIsClosedAfterHandshakeTimeout() throws Exception {
        TestPki pki = new TestPki(dir, "slow");
        try (LogCapture log = new LogCapture("io.jemq");
             ListenerBroker b = ListenerBroker.start(ssl(pki, "listener.ssl.test.handshake_timeout", "300ms",
                     "mqtt.client.idle_timeout", "60s"));
             Socket silent = new Socket("127.0.0.1", b.port("ssl.test"))) {
            silent.setSoTimeout(10_000);
            long start = System.nanoTime();
            InputStream in = silent.getInputStream();

            assertThat(in.read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            await().untilAsserted(() -> assertThat(log.messages(Level.INFO)).anyMatch(m -> m.contains("timed out")));
        }
    }

    @Test
    void plainMqttOnTheTlsPortIsAFailedHandshakeNotAnError() throws Exception {
        TestPki pki = new TestPki(dir, "plain");
        try (LogCapture log = new LogCapture("io.jemq"); ListenerBroker b = ListenerBroker.start(ssl(pki));
             Socket plain = new Socket("127.0.0.1", b.port("ssl.test"))) {
            plain.setSoTimeout(10_000);
            plain.getOutputStream().write(Packets.connect(4, "plain").keepAlive(60).bytes());
            InputStream in = plain.getInputStream();
            while (in.read() != -1) {
                // a TLS alert may come first; then the connection closes
            }
            await().untilAsserted(() -> assertThat(log.messages(Level.INFO))
                    .anyMatch(m -> m.startsWith("ssl.test: TLS handshake with") && m.contains("failed")));
            assertThat(log.withStackTraceAtInfoOrAbove()).isEmpty();
            assertThat(log.messages(Level.WARN)).isEmpty();
            assertThat(b.broker().connectionCount()).isZero();
            assertThat(b.counted("ssl.test", ListenerCounter.TLS_HANDSHAKE_FAILURES)).isEqualTo(1);
        }
    }

    @Test
    void aProbeThatConnectsAndClosesIsCountedButNotLoggedAtInfo() throws Exception {
        TestPki pki = new TestPki(dir, "probe");
        try (LogCapture log = new LogCapture("io.jemq.transport"); ListenerBroker b = ListenerBroker.start(ssl(pki))) {
            for (int i = 0; i < 3; i++) {
                new Socket("127.0.0.1", b.port("ssl.test")).close();       // a load balancer's health check
            }
            await().untilAsserted(() -> assertThat(log.messages(Level.DEBUG))
                    .filteredOn(m -> m.contains("closed the connection during the TLS handshake")).hasSize(3));
            assertThat(log.messages(Level.INFO)).isEmpty();
            assertThat(b.counted("ssl.test", ListenerCounter.TLS_HANDSHAKE_FAILURES)).isEqualTo(3);
        }
    }

    @Test
    void aMissingKeyFileStopsTheStartNamingTheKey() {
        TestPki pki = new TestPki(dir, "missing");
        Map<String, String> conf = ssl(pki, "listener.ssl.test.keyfile", dir.resolve("nope.pem").toString());

        assertThatThrownBy(() -> ListenerBroker.start(conf))
                .hasRootCauseMessage("cannot listen on 127.0.0.1:0 (ssl.test): listener.ssl.test.keyfile: cannot read "
                        + dir.resolve("nope.pem") + " (no such file)");
    }

    @Test
    void theShippedDevelopmentCertificateWorksAndIsWarnedAbout() {
        Path certs = Path.of("../etc/certs").toAbsolutePath().normalize();
        try (LogCapture log = new LogCapture("io.jemq"); ListenerBroker b = ListenerBroker.start(
                "listener.ssl.dev", "127.0.0.1:0",
                "listener.ssl.dev.keyfile", certs.resolve("key.pem").toString(),
                "listener.ssl.dev.certfile", certs.resolve("cert.pem").toString())) {
            assertThat(log.messages(Level.WARN)).singleElement().asString()
                    .startsWith("ssl.dev serves TLS with jemq's development certificate");

            Mqtt3BlockingClient c = MqttClient.builder().identifier("dev").serverHost("127.0.0.1")
                    .serverPort(b.port("ssl.dev")).sslConfig()
                    .trustManagerFactory(TrustFiles.of(certs.resolve("cacert.pem"))).applySslConfig()
                    .useMqttVersion3().buildBlocking();
            assertThat(c.connect().getReturnCode()).isEqualTo(Mqtt3ConnAckReturnCode.SUCCESS);
            c.disconnect();
        }
    }

    @Test
    void ownCertificatesAreNotWarnedAbout() {
        TestPki pki = new TestPki(dir, "own");
        try (LogCapture log = new LogCapture("io.jemq"); ListenerBroker b = ListenerBroker.start(ssl(pki))) {
            assertThat(log.messages(Level.WARN)).isEmpty();
        }
    }

    private static String handshake(TestPki pki, ListenerBroker b, String version) throws Exception {
        try (SSLSocket s = (SSLSocket) pki.sslContext(null).getSocketFactory()
                .createSocket("127.0.0.1", b.port("ssl.test"))) {
            s.setEnabledProtocols(new String[]{version});
            s.setSoTimeout(10_000);
            s.startHandshake();
            return s.getSession().getProtocol();
        }
    }

}
