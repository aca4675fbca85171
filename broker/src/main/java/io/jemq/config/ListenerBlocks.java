package io.jemq.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the {@code listener.<protocol>.<name>} blocks into {@link ListenerSettings}. Only {@code tcp} listeners are
 * served so far; the other EMQ protocols are recognised and skipped, so an EMQ file with them still loads.
 */
final class ListenerBlocks {
    private static final Logger log = LoggerFactory.getLogger(ListenerBlocks.class);

    private static final String PREFIX = "listener";
    private static final Set<String> NOT_SERVED_YET = Set.of("ssl", "ws", "wss", "api", "http", "https");

    private static final int MAX_SOCKET_BUFFER = 1 << 30;

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
            if (protocol.equals("tcp")) {
                if (file.contains(PREFIX + ".tcp")) {
                    throw file.invalid(PREFIX + ".tcp", "a name: listener.tcp.<name> = [host:]port");
                }
                for (String name : file.names(PREFIX + ".tcp")) {
                    listeners.add(tcp(file, name));
                }
            } else if (NOT_SERVED_YET.contains(protocol)) {
                log.debug("listener.{}.* recognised; not served yet, only tcp listeners are", protocol);
            } else {
                log.warn("{}: unknown listener protocol {}, ignored (tcp, ssl, ws, wss and api are known)",
                        file.origin(firstKey(file, PREFIX + "." + protocol)).orElseThrow(), protocol);
            }
        }
        return List.copyOf(listeners);
    }

    private static ListenerSettings tcp(ConfFile file, String name) {
        String key = PREFIX + ".tcp." + name;
        if (!file.contains(key)) {
            // e.g. only listener.tcp.external.acceptors = 8: a block without its address line
            throw file.invalid(firstKey(file, key), "a line \"" + key + " = [host:]port\" that opens this listener");
        }
        ListenerAddress address = file.parsed(key, null, ListenerAddress.EXPECTED, ListenerAddress::parse);
        return new ListenerSettings("tcp", name, address.host(), address.port(),
                file.integer(key + ".acceptors", DEFAULT.acceptors(), 1, 1024),
                file.integer(key + ".max_clients", DEFAULT.maxClients(), 1, Integer.MAX_VALUE),
                file.integer(key + ".backlog", DEFAULT.backlog(), 1, 65535),
                file.bool(key + ".nodelay", DEFAULT.nodelay()),
                file.bytes(key + ".sndbuf", "0", 0, MAX_SOCKET_BUFFER),
                file.bytes(key + ".recbuf", "0", 0, MAX_SOCKET_BUFFER));
    }

    private static String firstKey(ConfFile file, String prefix) {
        return file.keys().stream().filter(k -> k.equals(prefix) || k.startsWith(prefix + ".")).findFirst()
                .orElseThrow();
    }
}
