package io.jemq.ctl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** The client end of the control socket: sends one command, returns the exit code and the text. */
public final class ControlClient {
    /** What the broker answered. */
    public record Reply(int code, String output) {
    }

    private ControlClient() {
    }

    /** @throws IOException when no broker answers on the socket */
    public static Reply send(Path socket, List<String> args) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ByteArrayOutputStream req = new ByteArrayOutputStream();
            for (String a : args) {
                req.writeBytes(a.getBytes(StandardCharsets.UTF_8));
                req.write(0);
            }
            ByteBuffer out = ByteBuffer.wrap(req.toByteArray());
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ch.shutdownOutput();
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (ch.read(buf) >= 0) {
                buf.flip();
                reply.write(buf.array(), 0, buf.limit());
                buf.clear();
            }
            String text = reply.toString(StandardCharsets.UTF_8);
            int nl = text.indexOf('\n');
            if (nl < 0) {
                throw new IOException("the broker closed the control connection without an answer");
            }
            try {
                return new Reply(Integer.parseInt(text.substring(0, nl).strip()), text.substring(nl + 1));
            } catch (NumberFormatException e) {
                throw new IOException("unexpected answer on the control socket: " + text.substring(0, nl));
            }
        }
    }
}
