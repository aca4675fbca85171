package io.jemq.bench.scenario;

import io.jemq.bench.client.Front;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.ssl.SslContext;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import javax.net.ssl.SSLException;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/** The options every scenario takes: where the broker is, which protocol, and how long each phase lasts. */
public final class CommonOptions {
    @Option(names = {"-H", "--host"}, defaultValue = "127.0.0.1",
            description = "broker host (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = {"-p", "--port"}, defaultValue = "1883", description = "broker port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--pub-port", defaultValue = "0",
            description = "port the publishers connect to, when not --port: with --sub-port, publishers on one node of "
                    + "a cluster and subscribers on another (default: --port)")
    int pubPort;

    @Option(names = "--sub-port", defaultValue = "0",
            description = "port the subscribers connect to, when not --port (default: --port)")
    int subPort;

    @Option(names = "--route-settle", defaultValue = "0",
            description = "seconds to wait after the SUBACKs before publishing: in a cluster the subscribers' node "
                    + "must first tell the publishers' node of the route, or the first messages find no subscriber "
                    + "(default: ${DEFAULT-VALUE})")
    double routeSettleSeconds;

    @Option(names = "--tls", description = "MQTT over TLS; any server certificate is accepted unless --cafile is given")
    boolean tls;

    @Option(names = "--cafile",
            description = "PEM CA certificates the server's certificate must chain to (implies --tls)")
    Path cafile;

    @Option(names = "--ws", description = "MQTT over WebSocket: ws://, or wss:// with --tls")
    boolean webSocket;

    @Option(names = "--ws-path", defaultValue = "/mqtt",
            description = "the path of the WebSocket upgrade (default: ${DEFAULT-VALUE})")
    String webSocketPath;

    @Option(names = "--mqtt", defaultValue = "3.1.1", converter = VersionConverter.class,
            description = "protocol version, 3.1.1 or 5 (default: ${DEFAULT-VALUE})")
    MqttVersion version;

    @Option(names = {"-d", "--duration"}, defaultValue = "10",
            description = "seconds measured, after the warm-up (default: ${DEFAULT-VALUE})")
    double durationSeconds;

    @Option(names = "--warmup", defaultValue = "2",
            description = "seconds of load before measuring starts (default: ${DEFAULT-VALUE})")
    double warmupSeconds;

    @Option(names = "--quiet", defaultValue = "1.5",
            description = "after sending stops, the tail has drained once nothing arrived for this many seconds "
                    + "(default: ${DEFAULT-VALUE})")
    double quietSeconds;

    @Option(names = "--drain-timeout", defaultValue = "30",
            description = "longest wait for the tail, in seconds (default: ${DEFAULT-VALUE})")
    double drainTimeoutSeconds;

    @Option(names = "--connect-timeout", defaultValue = "10",
            description = "seconds to wait for a CONNACK or SUBACK (default: ${DEFAULT-VALUE})")
    double connectTimeoutSeconds;

    // long enough that no PINGREQ falls inside a run: the first one, at half the keepalive, takes this process's
    // read and write paths through code they never ran, and the deoptimization slowed it for a second (seen at 30 s)
    @Option(names = "--keepalive", defaultValue = "600",
            description = "MQTT keepalive seconds; a PINGREQ every half of it (default: ${DEFAULT-VALUE})")
    int keepAliveSeconds;

    @Option(names = "--threads", defaultValue = "0",
            description = "event loop threads; 0 means one per CPU this process may use (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--broker-pid",
            description = "broker process: its CPU time (and, in idle, its memory) is read from /proc")
    Long brokerPid;

    @Option(names = "--persistent",
            description = "every client asks for a persistent session (clean session false): with a disk store the "
                    + "broker writes each QoS 1/2 message before acknowledging it")
    public boolean persistent;

    @Option(names = "--no-progress", description = "do not print the status line every second")
    boolean noProgress;

    @Option(names = "--username",
            description = "username every connection sends in CONNECT (none by default), to measure an auth backend")
    String username;

    @Option(names = "--password", description = "password sent with --username")
    String password;

    InetSocketAddress broker() {
        return new InetSocketAddress(host, port);
    }

    /** Where a client of {@code role} connects: publishers ({@code p}) and subscribers ({@code s}) may differ. */
    InetSocketAddress broker(String role) {
        int p = role.startsWith("p") && pubPort > 0 ? pubPort : role.startsWith("s") && subPort > 0 ? subPort : port;
        return new InetSocketAddress(host, p);
    }

    /** The TLS and WebSocket layers these options ask for; fails when the CA file cannot be read. */
    Front front() {
        if (!tls && cafile == null && !webSocket) {
            return Front.PLAIN;
        }
        SslContext context = null;
        if (tls || cafile != null) {
            try {
                context = Front.tlsContext(cafile);
            } catch (SSLException | IllegalArgumentException e) {
                throw new BenchException("cannot set up TLS" + (cafile == null ? "" : " with " + cafile) + ": "
                        + e.getMessage());
            }
        }
        return new Front(context, webSocket ? webSocketPath : null);
    }

    String brokerName() {
        if (pubPort > 0 || subPort > 0) {
            return host + ":" + (pubPort > 0 ? pubPort : port) + "->" + (subPort > 0 ? subPort : port);
        }
        return host + ":" + port;
    }

    static long nanos(double seconds) {
        return (long) (seconds * 1e9);
    }

    /** Accepts the names people use: 3.1.1, 4, 5, 5.0. */
    static final class VersionConverter implements ITypeConverter<MqttVersion> {
        @Override
        public MqttVersion convert(String value) {
            return switch (value) {
                case "3.1.1", "4", "311" -> MqttVersion.MQTT_3_1_1;
                case "5", "5.0" -> MqttVersion.MQTT_5;
                default -> throw new TypeConversionException("expected 3.1.1 or 5, got " + value);
            };
        }
    }
}
