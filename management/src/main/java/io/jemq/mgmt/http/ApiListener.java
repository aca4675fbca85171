package io.jemq.mgmt.http;

import io.jemq.config.AccessRule;
import io.jemq.config.ConfFile;
import io.jemq.config.ListenerAddress;
import io.jemq.config.TlsSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The management listener, {@code listener.api.mgmt} in {@code etc/emq.conf}, with EMQ's option names: where the HTTP
 * API, {@code /mqtt/publish} and {@code /metrics} are served. Read once when the module starts.
 *
 * @param host         the bind address ({@code 0.0.0.0} for a bare port)
 * @param port         the port; 0 picks a free one (tests)
 * @param acceptors    {@code .acceptors}: the threads that serve the listener's connections
 * @param maxClients   {@code .max_clients}: connections open at once; one more is closed at accept
 * @param backlog      {@code .backlog}: the accept queue
 * @param access       {@code .access.N}: allow/deny rules for the peer's address, in order of N
 * @param tls          present when {@code .certfile} or {@code .keyfile} is set: HTTPS with the ssl listeners' keys
 * @param maxBodyBytes {@code .max_body_size}: a request body larger than this is answered 413
 */
public record ApiListener(String host, int port, int acceptors, int maxClients, int backlog, List<AccessRule> access,
                          Optional<TlsSettings> tls, int maxBodyBytes) {

    /** The listener's key; its options are {@code listener.api.mgmt.<option>}. */
    public static final String KEY = "listener.api.mgmt";

    private static final Logger log = LoggerFactory.getLogger(ApiListener.class);
    private static final Set<String> OPTIONS = Set.of("acceptors", "max_clients", "access", "backlog",
            "max_body_size", "keyfile", "certfile", "cacertfile", "verify", "fail_if_no_peer_cert", "tls_versions",
            "ciphers", "handshake_timeout",
            // EMQ's Erlang socket tuning, accepted without effect
            "reuseaddr", "nodelay", "send_timeout", "send_timeout_close", "recbuf", "sndbuf", "buffer", "tune_buffer",
            "dhfile", "secure_renegotiate", "reuse_sessions", "honor_cipher_order");

    public ApiListener {
        access = List.copyOf(access);
    }

    /**
     * The listener the file configures; empty when {@code listener.api.mgmt} is not in it: as in EMQ, a listener
     * exists only when its line does (the shipped {@code etc/emq.conf} has {@code 0.0.0.0:8080}).
     */
    public static Optional<ApiListener> from(ConfFile file) {
        if (!file.contains(KEY)) {
            return Optional.empty();
        }
        warnUnknownOptions(file);
        ListenerAddress address = file.parsed(KEY, null, ListenerAddress.EXPECTED, ListenerAddress::parse);
        boolean tls = file.contains(KEY + ".certfile") || file.contains(KEY + ".keyfile");
        return Optional.of(new ApiListener(address.host(), address.port(),
                file.integer(KEY + ".acceptors", 4, 1, 1024),
                file.integer(KEY + ".max_clients", 64, 1, Integer.MAX_VALUE),
                file.integer(KEY + ".backlog", 512, 1, 65535),
                access(file),
                tls ? Optional.of(TlsSettings.read(file, KEY)) : Optional.empty(),
                file.bytes(KEY + ".max_body_size", "1MB", 1024, 64 * 1024 * 1024)));
    }

    private static List<AccessRule> access(ConfFile file) {
        List<String> numbers = new ArrayList<>(file.names(KEY + ".access"));
        if (numbers.isEmpty()) {
            return List.of(AccessRule.ALLOW_ALL);
        }
        for (String n : numbers) {
            if (!n.matches("\\d{1,9}") || !file.contains(KEY + ".access." + n)) {
                throw file.invalid(KEY + ".access." + n, "a numbered rule: " + KEY + ".access.N");
            }
        }
        numbers.sort(Comparator.comparingInt(Integer::parseInt));
        List<AccessRule> rules = new ArrayList<>();
        for (String n : numbers) {
            rules.add(file.parsed(KEY + ".access." + n, null, AccessRule.EXPECTED, AccessRule::parse));
        }
        return rules;
    }

    private static void warnUnknownOptions(ConfFile file) {
        for (String k : file.keys()) {
            if (k.startsWith(KEY + ".")) {
                String option = k.substring(KEY.length() + 1);
                if (!OPTIONS.contains(option.startsWith("access.") ? "access" : option)) {
                    log.warn("{}: unknown key {}, ignored (not an option of the management listener)",
                            file.origin(k).orElse(k), k);
                }
            }
        }
    }
}
