package io.jemq.testkit;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bare MQTT client on a plain socket: writes literal bytes and reads whole packets with a deadline. For the
 * flows real clients hide (never acking, resending with DUP, malformed input) and for asserting on exact bytes.
 * {@link #untilClosed} takes a close as an outcome to record: every packet the broker sent before it closed.
 */
public final class RawClient implements AutoCloseable {
    /** What {@link #read} returns when the broker closed the connection (or reset it). */
    public static final Packet CLOSED = new Packet(-1, 0, new byte[0], 4);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private int version = 4;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static RawClient open(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setTcpNoDelay(true);
        return new RawClient(s);
    }

    /**
     * Opens with a small receive buffer, set before connecting so TCP announces the small window: a client that then
     * stops reading fills it, and the broker's writes to it stall, within a few KB.
     */
    public static RawClient openSmallWindow(int port, int receiveBufferBytes) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(receiveBufferBytes);
        s.setTcpNoDelay(true);
        s.connect(new java.net.InetSocketAddress("127.0.0.1", port));
        return new RawClient(s);
    }

    /** Opens, sends CONNECT, and asserts the CONNACK accepted it. */
    public static RawClient connected(int port, Packets.Connect connect) throws IOException {
        RawClient c = open(port);
        Packet ack = c.connect(connect);
        assertThat(ack.connackCode()).as("CONNACK code for " + connect.clientId).isZero();
        return c;
    }

    public static RawClient connected(int port, int version, String clientId, boolean clean) throws IOException {
        return connected(port, Packets.connect(version, clientId).clean(clean));
    }

    /** Sends CONNECT and returns the CONNACK (not asserted). */
    public Packet connect(Packets.Connect connect) throws IOException {
        version = connect.version;
        send(connect.bytes());
        Packet p = receive(Duration.ofSeconds(10));         // 10 s: a broker under a hostile load answers late
        assertThat(p.type()).as("packet type after CONNECT").isEqualTo(Packets.CONNACK);
        return p;
    }

    public int version() {
        return version;
    }

    /** The version to parse packets as, for a client that sends its own CONNECT bytes. */
    public RawClient version(int v) {
        version = v;
        return this;
    }

    public void send(byte[]... parts) throws IOException {
        for (byte[] p : parts) {
            out.write(p);
        }
        out.flush();
    }

    /** Sends and swallows a write failure: for peers that may already have closed on us. */
    public void sendQuietly(byte[] bytes) {
        try {
            send(bytes);
        } catch (IOException ignored) {
            // the broker closed first: what the caller asserts next
        }
    }

    /** The next packet; fails the test on timeout or close. */
    public Packet receive(Duration timeout) throws IOException {
        Optional<Packet> p = poll(timeout);
        assertThat(p).as("a packet within " + timeout).isPresent();
        return p.get();
    }

    /** The next packet, asserting its type. */
    public Packet expect(int type) throws IOException {
        Packet p = receive(Duration.ofSeconds(5));
        assertThat(p.type()).as("packet type of " + p).isEqualTo(type);
        return p;
    }

    /**
     * The next packet, {@link #CLOSED} when the broker closed, empty when nothing came in time: for clients that take
     * a close as one more answer (hostile clients, floods). One thread may read while another sends.
     */
    public Optional<Packet> read(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int first = read(deadline);
        if (first == -2) {
            return Optional.empty();
        }
        if (first == -1) {
            return Optional.of(CLOSED);
        }
        try {
            return Optional.of(rest(first, deadline));
        } catch (AssertionError cutShort) {
            return Optional.of(CLOSED);
        }
    }

    /** The next packet within the timeout, empty when none came; fails when the connection closes. */
    public Optional<Packet> poll(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int first = read(deadline);
        if (first == -2) {
            return Optional.empty();
        }
        assertThat(first).as("connection still open").isNotEqualTo(-1);
        return Optional.of(rest(first, deadline));
    }

    /**
     * Reads and drops packets until the broker closes the socket. @return true when it closed within the timeout
     */
    public boolean closedWithin(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            int b = read(deadline);
            if (b == -1) {
                return true;
            }
            if (b == -2) {
                return false;
            }
        }
    }

    /** Waits for the broker to close the socket; fails if it does not. @return the last packet it sent before */
    public Optional<Packet> lastPacketBeforeClose(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Packet last = null;
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("connection not closed within " + timeout);
            }
            int first = read(deadline);
            if (first == -1) {
                return Optional.ofNullable(last);
            }
            if (first == -2) {
                throw new AssertionError("connection not closed within " + timeout);
            }
            last = rest(first, deadline);
        }
    }

    /** What a connection received, in order, and whether the broker closed it (false: the time ran out first). */
    public record Seen(List<Packet> packets, boolean closed) {
        public boolean any(int type) {
            return packets.stream().anyMatch(p -> p.type() == type);
        }

        public List<Packet> of(int type) {
            return packets.stream().filter(p -> p.type() == type).toList();
        }

        @Override
        public String toString() {
            return packets.stream().map(RawClient::describe).toList() + (closed ? " then closed" : " (still open)");
        }
    }

    /** Reads until the broker closes or the time runs out: a close is an outcome to record, not a failure. */
    public Seen untilClosed(Duration timeout) throws IOException {
        return untilClosed(timeout, p -> false);
    }

    /**
     * Reads until the broker closes, the time runs out, or a packet matches {@code stop}: a packet that shows the
     * outcome already (a PINGRESP to the PINGREQ sent behind a malformed packet) need not wait for the time.
     */
    public Seen untilClosed(Duration timeout, Predicate<Packet> stop) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Packet> got = new ArrayList<>();
        while (true) {
            int first = read(deadline);
            if (first == -1) {
                return new Seen(got, true);
            }
            if (first == -2) {
                return new Seen(got, false);
            }
            Packet p = rest(first, deadline);
            got.add(p);
            if (stop.test(p)) {
                return new Seen(got, false);
            }
        }
    }

    /** @return every packet received before the broker closed; empty when it did not close within the timeout */
    public Optional<List<Packet>> packetsUntilClosed(Duration timeout) throws IOException {
        Seen seen = untilClosed(timeout);
        return seen.closed() ? Optional.of(seen.packets()) : Optional.empty();
    }

    /** The packet type's name, with the reason code of a DISCONNECT or CONNACK. */
    public static String describe(Packet p) {
        String[] names = {"?", "CONNECT", "CONNACK", "PUBLISH", "PUBACK", "PUBREC", "PUBREL", "PUBCOMP", "SUBSCRIBE",
            "SUBACK", "UNSUBSCRIBE", "UNSUBACK", "PINGREQ", "PINGRESP", "DISCONNECT", "AUTH"};
        String name = names[p.type()];
        if (p.type() == Packets.DISCONNECT) {
            return name + String.format(" 0x%02x", p.disconnectReason());
        }
        if (p.type() == Packets.CONNACK) {
            return name + String.format(" 0x%02x", p.connackCode());
        }
        return name;
    }

    /** The rest of a packet whose first byte was read: its remaining length, then its body. */
    private Packet rest(int first, long deadline) throws IOException {
        int length = 0;
        int shift = 0;
        int b;
        do {
            b = readRequired(deadline);
            length |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        byte[] body = new byte[length];
        for (int i = 0; i < length; i++) {
            body[i] = (byte) readRequired(deadline);
        }
        return new Packet(first >> 4, first & 0x0F, body, version);
    }

    /** One byte; -1 at end of stream (or reset), -2 when the deadline passed. */
    private int read(long deadlineNanos) throws IOException {
        long leftMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (leftMillis <= 0) {
            return -2;
        }
        socket.setSoTimeout((int) Math.max(1, leftMillis));
        try {
            return in.read();
        } catch (SocketTimeoutException e) {
            return -2;
        } catch (SocketException e) {
            return -1;                      // reset by the broker: closed as well
        }
    }

    private int readRequired(long deadlineNanos) throws IOException {
        int b = read(deadlineNanos + 2_000_000_000L);
        if (b < 0) {
            throw new AssertionError("packet cut short (" + (b == -1 ? "closed" : "timeout") + ")");
        }
        return b;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do: the test is done with it
        }
    }
}
