package io.jemq.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the {@code listener.<protocol>.<name>} blocks into {@link ListenerSettings}: {@code tcp}, {@code ssl},
 * {@code ws} and {@code wss}. The management protocols ({@code api}, {@code http}, {@code https}) belong to other
 * parts of jemq and are skipped here. An option a listener of that protocol does not have is warned about with its
 * line, like any unknown key.
 */
final class ListenerBlocks {

    /** {@code listener.<proto>.<name>[.option]} blocks, and the WebSocket header every ws listener reads. */
    static final ConfigKeys KEYS = ConfigKeys.of("mqtt.websocket_protocol_header").withPrefixes("listener.");

    private static final Logger log = LoggerFactory.getLogger(ListenerBlocks.class);

    private static final String PREFIX = "listener";
    private static final Set<String> MQTT_PROTOCOLS = Set.of("tcp", "ssl", "ws", "wss");
    private static final Set<String> NOT_MQTT = Set.of("api", "http", "https");

    private static final int MAX_SOCKET_BUFFER = 1 << 30;

    /** Options every MQTT listener has ({@code access.N} is checked as {@code access}). */
    private static final Set<String> SOCKET_OPTIONS = Set.of("acceptors", "max_clients", "access", "backlog",
            "nodelay", "sndbuf", "recbuf", "send_timeout", "send_timeout_close", "mountpoint", "rate_limit",
            "proxy_protocol", "proxy_protocol_timeout", "peer_cert_as_username", "peer_cert_as_clientid", "zone",
            // EMQ's Erlang socket tuning, accepted without effect: the JVM picks its own buffers
            "reuseaddr", "buffer", "tune_buffer", "max_conn_rate", "active_n");
    private static final Set<String> TLS_OPTIONS = Set.of("keyfile", "certfile", "cacertfile", "verify",
            "fail_if_no_peer_cert", "tls_versions", "ciphers", "handshake_timeout",
            // OTP ssl options that Netty's TLS handles on its own (renegotiation off, session reuse on)
            "dhfile", "secure_renegotiate", "reuse_sessions", "honor_cipher_order", "psk_ciphers");
    private static final Set<String> WEBSOCKET_OPTIONS = Set.of("mqtt_path", "proxy_address_header",
            "proxy_port_header");

    /** Where EMQ's shipped listeners find their key and certificate; jemq ships a development pair there. */
    static final String DEFAULT_KEYFILE = "etc/certs/key.pem";
    static final String DEFAULT_CERTFILE = "etc/certs/cert.pem";

    /** What a file without any listener key gets: EMQ's external TCP listener. */
    static final ListenerSettings DEFAULT =
            new ListenerSettings("tcp", "external", "0.0.0.0", 1883, 16, 102400, 1024, true, 0, 0);

    private ListenerBlocks() {
    }

    static List<ListenerSettings> read(ConfFile file) {
        List<String> protocols = file.names(PREFIX);
        if (protocols.isEmpty()) {
            return List.of(DEFAULT);
        }
        List<ListenerSettings> listeners = new ArrayList<>();
        for (String protocol : protocols) {
            if (MQTT_PROTOCOLS.contains(protocol)) {
                if (file.contains(PREFIX + "." + protocol)) {
                    throw file.invalid(PREFIX + "." + protocol,
                            "a name: listener." + protocol + ".<name> = [host:]port");
                }
                for (String name : file.names(PREFIX + "." + protocol)) {
                    listeners.add(block(file, protocol, name));
                }
            } else if (NOT_MQTT.contains(protocol)) {
                log.debug("listener.{}.* is not an MQTT listener; read by the management part", protocol);
            } else {
                log.warn("{}: unknown listener protocol {}, ignored (tcp, ssl, ws, wss and api are known)",
                        file.origin(firstKey(file, PREFIX + "." + protocol)).orElseThrow(), protocol);
            }
        }
        return List.copyOf(listeners);
    }

    private static ListenerSettings block(ConfFile file, String protocol, String name) {
        String key = PREFIX + "." + protocol + "." + name;
        if (!file.contains(key)) {
            // e.g. only listener.tcp.external.acceptors = 8: a block without its address line
            throw file.invalid(firstKey(file, key), "a line \"" + key + " = [host:]port\" that opens this listener");
        }
        boolean tls = protocol.equals("ssl") || protocol.equals("wss");
        boolean webSocket = protocol.equals("ws") || protocol.equals("wss");
        warnUnknownOptions(file, key, tls, webSocket);
        if (file.contains(key + ".zone")) {
            log.warn("{}: {}.zone has no effect yet: every listener uses the mqtt.session.* settings",
                    file.origin(key + ".zone").orElseThrow(), key);
        }
        ListenerAddress address = file.parsed(key, null, ListenerAddress.EXPECTED, ListenerAddress::parse);
        String mountpoint = file.parsed(key + ".mountpoint", "",
                "a topic prefix without + or #, such as devices/%c/",
                m -> m.indexOf('+') < 0 && m.indexOf('#') < 0 ? m : null);
        return new ListenerSettings(protocol, name, address.host(), address.port(),
                file.integer(key + ".acceptors", DEFAULT.acceptors(), 1, 1024),
                file.integer(key + ".max_clients", DEFAULT.maxClients(), 1, Integer.MAX_VALUE),
                file.integer(key + ".backlog", DEFAULT.backlog(), 1, 65535),
                file.bool(key + ".nodelay", DEFAULT.nodelay()),
                file.bytes(key + ".sndbuf", "0", 0, MAX_SOCKET_BUFFER),
                file.bytes(key + ".recbuf", "0", 0, MAX_SOCKET_BUFFER),
                access(file, key),
                file.duration(key + ".send_timeout", "15s", Duration.ofMillis(1), null),
                file.bool(key + ".send_timeout_close", true),
                mountpoint,
                Optional.ofNullable(file.parsed(key + ".rate_limit", null, RateLimit.EXPECTED, RateLimit::parse)),
                file.bool(key + ".proxy_protocol", false),
                file.duration(key + ".proxy_protocol_timeout", "3s", Duration.ofMillis(1), null),
                file.oneOf(key + ".peer_cert_as_username", PeerCertIdentity.class, PeerCertIdentity.OFF),
                file.oneOf(key + ".peer_cert_as_clientid", PeerCertIdentity.class, PeerCertIdentity.OFF),
                tls ? Optional.of(TlsSettings.read(file, key)) : Optional.empty(),
                webSocket ? Optional.of(webSocket(file, key)) : Optional.empty());
    }

    /** {@code access.1}, {@code access.2}, ... in numeric order (so access.10 comes after access.9). */
    private static List<AccessRule> access(ConfFile file, String key) {
        List<String> numbers = new ArrayList<>(file.names(key + ".access"));
        if (numbers.isEmpty()) {
            return List.of(AccessRule.ALLOW_ALL);
        }
        for (String n : numbers) {
            // access.1.x alone, without access.1 itself, is no rule either (it gave a null rule, then an NPE)
            if (!n.matches("\\d{1,9}") || !file.contains(key + ".access." + n)) {
                throw file.invalid(firstKey(file, key + ".access." + n), "a numbered rule: " + key + ".access.N");
            }
        }
        numbers.sort(Comparator.comparingInt(Integer::parseInt));
        List<AccessRule> rules = new ArrayList<>();
        for (String n : numbers) {
            rules.add(file.parsed(key + ".access." + n, null, AccessRule.EXPECTED, AccessRule::parse));
        }
        return rules;
    }

    private static WebSocketSettings webSocket(ConfFile file, String key) {
        return new WebSocketSettings(
                file.parsed(key + ".mqtt_path", WebSocketSettings.DEFAULT_PATH, WebSocketSettings.EXPECTED_PATH,
                        WebSocketSettings::parsePath),
                file.bool("mqtt.websocket_protocol_header", true),
                Optional.ofNullable(file.parsed(key + ".proxy_address_header", null, "an HTTP header name",
                        ListenerBlocks::headerName)),
                Optional.ofNullable(file.parsed(key + ".proxy_port_header", null, "an HTTP header name",
                        ListenerBlocks::headerName)));
    }

    private static String headerName(String text) {
        return text.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+") ? text : null;
    }

    private static void warnUnknownOptions(ConfFile file, String key, boolean tls, boolean webSocket) {
        String dotted = key + ".";
        for (String k : file.keys()) {
            if (!k.startsWith(dotted)) {
                continue;
            }
            String option = k.substring(dotted.length());
            if (option.startsWith("access.")) {
                option = "access";
            }
            if (!SOCKET_OPTIONS.contains(option) && !(tls && TLS_OPTIONS.contains(option))
                    && !(webSocket && WEBSOCKET_OPTIONS.contains(option))) {
                log.warn("{}: unknown key {}, ignored (not an option of {} listeners)", file.origin(k).orElseThrow(),
                        k, key.split("\\.")[1]);
            }
        }
    }

    private static String firstKey(ConfFile file, String prefix) {
        return file.keys().stream().filter(k -> k.equals(prefix) || k.startsWith(prefix + ".")).findFirst()
                .orElseThrow();
    }
}
