package io.jemq.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Where this node keeps its files and how it is controlled: what {@code bin/jemq}, the plugins and the stores share.
 *
 * @param dataDir   {@code node.data_dir} (data): the broker's own stores (users, client ids)
 * @param ctlSocket {@code node.ctl_socket} (off): the Unix socket {@code bin/jemq ctl} talks to; null = off
 */
public record NodeSettings(Path dataDir, Path ctlSocket) {

    static final ConfigKeys KEYS = ConfigKeys.of("node.data_dir", "node.ctl_socket");

    public static NodeSettings from(ConfFile f) {
        return new NodeSettings(path(f, "node.data_dir", "data"), ctlSocket(f));
    }

    private static Path ctlSocket(ConfFile f) {
        String value = f.string("node.ctl_socket", "off").strip();
        return value.equalsIgnoreCase("off") || value.isEmpty() ? null : path(f, "node.ctl_socket", "off");
    }

    /** A path setting; a value that is no path on this platform is an error naming the key. */
    static Path path(ConfFile f, String key, String defaultValue) {
        return f.parsed(key, Path.of(defaultValue), "a file or directory path", NodeSettings::toPath);
    }

    private static Path toPath(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
