package io.jemq.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Proves a port free with a plain bind (no SO_REUSEPORT) before several sockets share it. Start-up thread. */
final class PortProbe {
    private PortProbe() {
    }

    /** @return {@code port}, or the port the system picked when it is 0 */
    static int freePort(String host, int port) throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
            return probe.getLocalPort();
        }
    }
}
