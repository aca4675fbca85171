package io.jemq.plugin;

import io.jemq.api.ConfigException;
import io.jemq.util.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code data/loaded_plugins}: the plugins to load at start-up, in load order, one {@code name.} a line as EMQ
 * writes it (a bare {@code name} and {@code %} comments are read too). Written whole, atomically.
 */
final class LoadedPluginsFile {
    private final Path file;

    LoadedPluginsFile(Path file) {
        this.file = file;
    }

    Path path() {
        return file;
    }

    /** The names in the file, in order; empty when there is no file yet. */
    List<String> read() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e);
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int comment = line.indexOf('%');
            line = (comment >= 0 ? line.substring(0, comment) : line).strip();
            if (line.endsWith(".")) {
                line = line.substring(0, line.length() - 1).strip();
            }
            if (line.isEmpty()) {
                continue;
            }
            if (!line.matches("[A-Za-z0-9_]+")) {
                throw new ConfigException(file + ":" + (i + 1) + ": expected a plugin name such as emq_auth_username.,"
                        + " got \"" + lines.get(i).strip() + "\"");
            }
            if (!names.contains(line)) {
                names.add(line);
            }
        }
        return names;
    }

    void write(List<String> names) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String n : names) {
            sb.append(n).append(".\n");
        }
        AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }
}
