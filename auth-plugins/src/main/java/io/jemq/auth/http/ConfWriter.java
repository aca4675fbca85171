package io.jemq.auth.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.jemq.auth.http.HttpAuthSettings.PREFIX;

/**
 * Writes changed settings into {@code etc/plugins/emq_auth_http.conf} the way an operator would: each line that sets
 * one of this plugin's keys gets the new value in place, spelled as it was (an EMQ 2.x {@code auth.http.acl_req =}
 * stays one, a {@code .params} list stays a list); a key that no longer applies is commented out; keys the file did
 * not have are added at its end. Comments, blank lines and the keys the broker reads ({@code auth.http.pool},
 * {@code on_error}) are kept as they are. The new text goes to a temporary file beside it, is forced to disk, and
 * replaces the file in one atomic rename, so a crash leaves the old file or the new one, never half of either.
 * Called under {@link HttpAuthPlugin#update}'s lock, on the management thread.
 */
final class ConfWriter {
    private static final Set<String> BROKER_KEYS = Set.of(PREFIX + "pool", PREFIX + "pool_queue",
            PREFIX + "on_error");

    private ConfWriter() {
    }

    /**
     * @param conf     the settings as {@link HttpAuthSettings#toConf()} gives them
     * @param defaults values that need not be added when the file does not have their key
     */
    static void write(Path file, Map<String, String> conf, Map<String, String> defaults) throws IOException {
        List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        List<String> out = new ArrayList<>(lines.size() + 8);
        Set<String> done = new HashSet<>();
        for (String line : lines) {
            String text = line.strip();
            int eq = text.indexOf('=');
            String key = eq < 0 ? "" : text.substring(0, eq).strip();
            if (text.startsWith("#") || !key.startsWith(PREFIX) || BROKER_KEYS.contains(key)) {
                out.add(line);
            } else if (HttpSettingsReader.isParamsList(key)) {
                out.add(paramsList(key, conf, done).map(list -> key + " = " + list).orElse("## " + text));
            } else {
                String canonical = HttpSettingsReader.canonicalKey(key);
                String value = conf.get(canonical);
                out.add(value == null ? "## " + text : key + " = " + value);
                if (value != null) {
                    done.add(canonical);
                }
            }
        }
        List<String> added = new ArrayList<>();
        conf.forEach((key, value) -> {
            if (!done.contains(key) && !value.equals(defaults.get(key))) {
                added.add(key + " = " + value);
            }
        });
        if (!added.isEmpty()) {
            out.add("");
            out.add("## Set at run time (management API or dashboard)");
            out.addAll(added);
        }
        replace(file, String.join("\n", out) + "\n");
    }

    /** The request's parameters as one EMQ list, or empty when there are none or a value holds a comma. */
    private static Optional<String> paramsList(String listKey, Map<String, String> conf, Set<String> done) {
        Map<String, String> params = new LinkedHashMap<>();
        conf.forEach((key, value) -> {
            if (key.startsWith(listKey + ".")) {
                params.put(key.substring(listKey.length() + 1), value);
            }
        });
        boolean listable = !params.isEmpty() && params.values().stream().noneMatch(v -> v.contains(","));
        if (!listable) {
            return Optional.empty();           // written one key each, at the end
        }
        params.keySet().forEach(name -> done.add(listKey + "." + name));
        StringBuilder sb = new StringBuilder();
        params.forEach((name, value) -> sb.append(sb.length() == 0 ? "" : ",").append(name).append('=').append(value));
        return Optional.of(sb.toString());
    }

    private static void replace(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);                         // the rename itself survives a crash
        } catch (IOException e) {
            // some file systems cannot open a directory; the rename is still atomic
        }
    }
}
