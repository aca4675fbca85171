package io.jemq.ctl;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * The broker's end of {@code bin/jemq ctl}: a Unix domain socket (mode 0600, so only the broker's user can use it).
 * One request per connection: the client sends its arguments, each ended by a NUL byte, and shuts its output; the
 * server answers with the exit code on the first line and then what the command printed. Each connection has its own
 * short-lived thread (a stuck client blocks only itself); commands run one at a time.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
    private static final int MAX_REQUEST = 64 * 1024;
    private static final int MAX_CLIENTS = 16;

    private final Path socket;
    private final ServerSocketChannel server;
    private final ControlCommands commands;
    private final Semaphore clients = new Semaphore(MAX_CLIENTS);
    private final Object runLock = new Object();
    private final Thread acceptor;
    private volatile boolean closed;

    private ControlServer(Path socket, ServerSocketChannel server, ControlCommands commands) {
        this.socket = socket;
        this.server = server;
        this.commands = commands;
        this.acceptor = new Thread(this::acceptLoop, "jemq-ctl");
        this.acceptor.setDaemon(true);
    }

    /**
     * Binds the socket and starts answering.
     *
     * @throws IOException when the socket cannot be made, or another running broker already answers on it
     */
    public static ControlServer start(Path socket, ControlCommands commands) throws IOException {
        Path target = socket.toAbsolutePath();
        Files.createDirectories(target.getParent());
        removeStale(target);
        // bound inside a fresh 0700 directory, made 0600, then renamed into place: never reachable by others
        Path dir = Files.createTempDirectory(target.getParent(), ".ctl",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            Path tmp = dir.resolve("s");
            server.bind(UnixDomainSocketAddress.of(tmp));
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        } finally {
            Files.deleteIfExists(dir.resolve("s"));
            Files.deleteIfExists(dir);
        }
        ControlServer s = new ControlServer(target, server, commands);
        s.acceptor.start();
        log.info("control commands (bin/jemq ctl) on {}", target);
        return s;
    }

    private static void removeStale(Path target) throws IOException {
        if (!Files.exists(target)) {
            return;
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(target))) {
            throw new IOException(target + " is in use: is another jemq running from this directory?");
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("is in use")) {
                throw e;
            }
            Files.deleteIfExists(target);                    // left by a broker that did not stop cleanly
        }
    }

    public Path socket() {
        return socket;
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("control socket {} failed: {}", socket, e.toString());
                }
                return;
            }
            if (!clients.tryAcquire()) {
                closeQuietly(ch);
                continue;
            }
            Thread t = new Thread(() -> {
                try {
                    handle(ch);
                } finally {
                    clients.release();
                    closeQuietly(ch);
                }
            }, "jemq-ctl-request");
            t.setDaemon(true);
            t.start();
        }
    }

    private void handle(SocketChannel ch) {
        try {
            List<String> args = readRequest(ch);
            StringWriter text = new StringWriter();
            int code;
            try (PrintWriter out = new PrintWriter(text)) {
                if (args == null) {
                    out.println("request too large");
                    code = ControlCommands.USAGE;
                } else {
                    synchronized (runLock) {
                        code = commands.run(args, out);
                    }
                    log.debug("ctl {} -> {}", args.isEmpty() ? "" : args.get(0), code);
                }
            }
            ByteBuffer reply = ByteBuffer.wrap((code + "\n" + text).getBytes(StandardCharsets.UTF_8));
            while (reply.hasRemaining()) {
                ch.write(reply);
            }
        } catch (IOException e) {
            log.debug("control request failed: {}", e.toString());
        }
    }

    /** The NUL-ended arguments, or null when the request is larger than allowed. */
    private static List<String> readRequest(SocketChannel ch) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(4096);
        while (ch.read(buf) >= 0) {
            buf.flip();
            bytes.write(buf.array(), 0, buf.limit());
            buf.clear();
            if (bytes.size() > MAX_REQUEST) {
                return null;
            }
        }
        String all = bytes.toString(StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < all.length(); i++) {
            if (all.charAt(i) == '\0') {
                args.add(all.substring(start, i));
                start = i + 1;
            }
        }
        return args;
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // the client went away first
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            log.debug("closing the control socket: {}", e.toString());
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            log.debug("removing {}: {}", socket, e.toString());
        }
    }
}
