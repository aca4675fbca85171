package io.jemq.cluster.hazelcast;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The member a manual {@code cluster join} joined, remembered in {@code <node.data_dir>/cluster/seeds} (one
 * {@code host:port} a line), so a restarted node joins its cluster again as an EMQ 2.x node did; {@code cluster leave}
 * forgets it. Read at start when {@code cluster.discovery = manual}. Called under {@link ClusterModule}'s monitor.
 */
final class JoinedSeeds {
    private static final Logger log = LoggerFactory.getLogger(JoinedSeeds.class);

    private final Path file;

    JoinedSeeds(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** The remembered seeds; none when there is no file. A line that is no {@code host:port} is skipped and said. */
    List<InetSocketAddress> read() {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<InetSocketAddress> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                InetSocketAddress a = ClusterSettings.address(line);
                if (a == null) {
                    log.warn("{}: '{}' is no host:port, skipped", file, line.strip());
                } else {
                    out.add(a);
                }
            }
        } catch (IOException e) {
            log.warn("{} cannot be read ({}): this node starts alone", file, e.toString());
        }
        return List.copyOf(out);
    }

    /** Remembers {@code seed} in place of what was there (written aside, then moved over the old file). */
    void remember(InetSocketAddress seed) {
        try {
            Files.createDirectories(file.getParent());
            Path next = file.resolveSibling(file.getFileName() + ".new");
            Files.writeString(next, "# written by 'cluster join'; 'cluster leave' removes it\n"
                    + seed.getHostString() + ":" + seed.getPort() + "\n", StandardCharsets.UTF_8);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remember the seed in " + file, e);
        }
    }

    void forget() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file, e);
        }
    }
}
