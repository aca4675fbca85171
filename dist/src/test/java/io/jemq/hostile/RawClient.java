package io.jemq.hostile;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A hostile client on a bare socket: writes whatever bytes it is given and reads whole packets with a deadline.
 * One thread may write while another reads.
 */
final class RawClient implements AutoCloseable {
    /** A packet as received: fixed-header type and flags, and the bytes after the remaining length. */
    record Packet(int type, int flags, byte[] body) {
        int u16(int at) {
            return (body[at] & 0xFF) << 8 | body[at + 1] & 0xFF;
        }
    }

    /** What {@link #read} returns when the peer closed the connection (or reset it). */
    static final Packet CLOSED = new Packet(-1, 0, new byte[0]);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 65536);
        this.out = socket.getOutputStream();
    }

    static RawClient open(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setTcpNoDelay(true);
        return new RawClient(socket);
    }

    /** Opens and sends CONNECT; fails unless a CONNACK accepting it comes back. */
    static RawClient connected(int port, int version, String clientId, boolean clean) throws IOException {
        RawClient c = open(port);
        c.send(MqttBytes.connect(version, clientId, clean));
        Packet ack = c.read(Duration.ofSeconds(10)).orElseThrow(() -> new AssertionError("no CONNACK"));
        int code = ack.type() == MqttBytes.CONNACK ? ack.body()[1] : -1;
        if (code != 0) {
            throw new AssertionError("CONNACK refused " + clientId + ": " + ack);
        }
        return c;
    }

    /** A socket that stops reading: a small receive buffer so that the broker's writes back up sooner. */
    static RawClient openNotReading(int port) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return new RawClient(socket);
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** For peers that may have closed on us already: what the caller asserts next. */
    void sendQuietly(byte[] bytes) {
        try {
            send(bytes);
        } catch (IOException ignored) {
            // closed by the broker
        }
    }

    /** @return the next packet, {@link #CLOSED} when the broker closed, empty when nothing came in time */
    Optional<Packet> read(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int first = readByte(deadline);
        if (first == -2) {
            return Optional.empty();
        }
        if (first == -1) {
            return Optional.of(CLOSED);
        }
        int length = 0;
        int shift = 0;
        int b;
        do {
            b = readByte(deadline);
            if (b < 0) {
                return Optional.of(CLOSED);
            }
            length |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        byte[] body = new byte[length];
        for (int i = 0; i < length; i++) {
            int next = readByte(deadline);
            if (next < 0) {
                return Optional.of(CLOSED);
            }
            body[i] = (byte) next;
        }
        return Optional.of(new Packet(first >> 4, first & 0x0F, body));
    }

    /** @return every packet received before the broker closed; empty when it did not close within the timeout */
    Optional<List<Packet>> packetsUntilClosed(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Packet> seen = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            Optional<Packet> p = read(Duration.ofNanos(left));
            if (p.isEmpty()) {
                return Optional.empty();
            }
            if (p.get() == CLOSED) {
                return Optional.of(seen);
            }
            seen.add(p.get());
        }
    }

    /** @return a byte, -1 at end of stream (or reset), -2 at the deadline */
    private int readByte(long deadline) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return -2;
        }
        socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
        try {
            return in.read();
        } catch (SocketTimeoutException e) {
            return -2;
        } catch (SocketException e) {
            return -1;                                               // reset by the broker: closed too
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do: we are done with it
        }
    }
}
