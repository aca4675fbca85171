package io.jemq.config;

/**
 * One {@code listener.<protocol>.<name>} block.
 *
 * @param protocol   {@code tcp} for now ({@code ssl}, {@code ws}, {@code wss} come with the listeners issue)
 * @param name       the block's name, e.g. {@code external}
 * @param host       the bind address ({@code 0.0.0.0} when the value is a bare port)
 * @param port       0 binds an ephemeral port (tests); ask {@code Broker.boundPort(id())}
 * @param acceptors  {@code .acceptors}
 * @param maxClients {@code .max_clients}: connections beyond it are closed at accept
 * @param backlog    {@code .backlog}
 * @param nodelay    {@code .nodelay}
 * @param sndbuf     {@code .sndbuf} in bytes, 0 = the OS default
 * @param recbuf     {@code .recbuf} in bytes, 0 = the OS default
 */
public record ListenerSettings(
        String protocol,
        String name,
        String host,
        int port,
        int acceptors,
        int maxClients,
        int backlog,
        boolean nodelay,
        int sndbuf,
        int recbuf) {

    /** {@code tcp.external}: how logs, metrics and {@code Broker.boundPort} name this listener. */
    public String id() {
        return protocol + "." + name;
    }
}
