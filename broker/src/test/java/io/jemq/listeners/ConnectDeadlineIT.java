package io.jemq.listeners;

import io.jemq.testkit.RawWebSocket;
import io.jemq.testkit.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A peer has {@code mqtt.client.idle_timeout} from the TCP accept to get a whole CONNECT in, however it trickles
 * the bytes: through a TLS handshake, a WebSocket upgrade and the CONNECT itself.
 */
class ConnectDeadlineIT {
    private static final long INTERVAL_MILLIS = 150;

    @TempDir
    Path dir;

    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopPacer() {
        pacer.shutdownNow();
    }

    @Test
    void aTlsHandshakeTrickledByteByByteIsCutAtTheIdleTimeout() throws Exception {
        TestPki pki = new TestPki(dir, "deadline");
        try (ListenerBroker b = ListenerBroker.start(ListenerBroker.conf("mqtt.client.idle_timeout", "1s",
                "listener.ssl.test", "127.0.0.1:0",
                "listener.ssl.test.keyfile", pki.server.keyFile().toString(),
                "listener.ssl.test.certfile", pki.server.certFile().toString()));
             Socket s = new Socket("127.0.0.1", b.port("ssl.test"))) {
            // a TLS record header announcing a 200-byte handshake message, then its body, one byte at a time
            byte[] record = new byte[205];
            System.arraycopy(HexFormat.of().parseHex("16030100c8"), 0, record, 0, 5);
            assertClosedAroundOneSecond(s, record);
        }
    }

    @Test
    void aWebSocketUpgradeTrickledByteByByteIsCutAtTheIdleTimeout() throws Exception {
        try (ListenerBroker b = ListenerBroker.start(ListenerBroker.conf("mqtt.client.idle_timeout", "1s",
                "listener.ws.test", "127.0.0.1:0"));
             Socket s = new Socket("127.0.0.1", b.port("ws.test"))) {
            byte[] upgrade = ("GET /mqtt HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Protocol: mqtt\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            assertClosedAroundOneSecond(s, upgrade);
        }
    }

    @Test
    void aConnectTrickledInWebSocketFramesIsCutAtTheIdleTimeout() throws Exception {
        try (ListenerBroker b = ListenerBroker.start(ListenerBroker.conf("mqtt.client.idle_timeout", "1s",
                "listener.ws.test", "127.0.0.1:0"))) {
            long start = System.nanoTime();         // the deadline runs from the TCP accept, before the upgrade
            try (RawWebSocket ws = RawWebSocket.upgrade(b.port("ws.test"), "/mqtt", "mqtt", Map.of())) {
                byte[] connect = HexFormat.ofDelimiter(" ").parseHex("10 0d 00 04 4d 51 54 54 04 02 00 3c 00 01 61");
                for (int i = 0; i < connect.length; i++) {
                    byte[] one = {connect[i]};
                    pacer.schedule(() -> {
                        try {
                            ws.sendBinary(one);
                        } catch (IOException closedAlready) {
                            // what the test waits for
                        }
                    }, INTERVAL_MILLIS * i, TimeUnit.MILLISECONDS);
                }
                ws.timeout(5_000);
                try {
                    assertThat(ws.mqtt().read()).as("closed before any MQTT byte came back").isEqualTo(-1);
                } catch (SocketException reset) {
                    // closed as well
                }
            }
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(800L, 2_000L);
        }
    }

    /** Sends {@code bytes} one every {@link #INTERVAL_MILLIS} and asserts the broker hangs up after about 1 s. */
    private void assertClosedAroundOneSecond(Socket s, byte[] bytes) throws IOException {
        OutputStream out = s.getOutputStream();
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            pacer.schedule(() -> {
                try {
                    out.write(b);
                    out.flush();
                } catch (IOException closedAlready) {
                    // what the test waits for
                }
            }, INTERVAL_MILLIS * i, TimeUnit.MILLISECONDS);
        }
        long start = System.nanoTime();
        s.setSoTimeout(5_000);
        InputStream in = s.getInputStream();
        try {
            while (in.read() != -1) {
                // a TLS alert or an HTTP answer may come first: read on to the close
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the broker did not hang up within 5 s", e);
        } catch (SocketException reset) {
            // closed as well
        }
        assertThat((System.nanoTime() - start) / 1_000_000).as("closed after about the idle timeout")
                .isBetween(800L, 2_000L);
    }
}
