package io.jemq.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The TCP ports this JVM listens on, read from Linux's /proc (the platform jemq's tests run on): what the OS says,
 * not what the broker believes it has bound.
 */
final class ListeningPorts {
    private static final String LISTEN = "0A";

    private ListeningPorts() {
    }

    static Set<Integer> ofThisProcess() {
        return new TreeSet<>(listeningSockets());
    }

    /** How many listening sockets of this JVM share {@code port}: more than one with SO_REUSEPORT. */
    static long socketsOn(int port) {
        return listeningSockets().stream().filter(p -> p == port).count();
    }

    /** The port of each listening socket of this JVM, once a socket. */
    private static List<Integer> listeningSockets() {
        Set<String> mySockets = socketInodes();
        List<Integer> ports = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> rows = lines(Path.of(table));
            for (String line : rows.subList(1, rows.size())) {          // the first line names the columns
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
                String[] f = line.trim().split("\\s+");
                if (f[3].equals(LISTEN) && mySockets.contains(f[9])) {
                    String local = f[1];
                    ports.add(Integer.parseInt(local.substring(local.indexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }

    /** The inodes of the sockets among this process's open files: /proc/self/fd/N links to socket:[inode]. */
    private static Set<String> socketInodes() {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // a file closed while the directory was listed is not a listening socket of ours
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list /proc/self/fd (these tests need Linux)", e);
        }
        return inodes;
    }

    private static List<String> lines(Path table) {
        try {
            return Files.readAllLines(table);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + table + " (these tests need Linux)", e);
        }
    }
}
