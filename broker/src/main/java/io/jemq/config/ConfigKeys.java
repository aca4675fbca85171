package io.jemq.config;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The keys of {@code etc/emq.conf} that one part of jemq reads: exact keys, and families it reads whole (prefixes such
 * as {@code listener.}). Each settings class declares its own next to the code that reads them, and
 * {@link KnownKeys} assembles them, so that a key cannot be read without being known (and warned about when misspelt).
 *
 * @param keys     exact keys, e.g. {@code mqtt.max_packet_size}
 * @param prefixes families, e.g. {@code listener.}; every key that starts with one is known
 */
public record ConfigKeys(Set<String> keys, List<String> prefixes) {

    public ConfigKeys {
        keys = Set.copyOf(keys);
        prefixes = List.copyOf(prefixes);
    }

    public static ConfigKeys of(String... keys) {
        return new ConfigKeys(Set.of(keys), List.of());
    }

    /** These keys and these families too. */
    public ConfigKeys withPrefixes(String... more) {
        return new ConfigKeys(keys, Stream.concat(prefixes.stream(), Stream.of(more)).toList());
    }

    /**
     * A module outside the broker core (management, cluster, a disk store) that reads keys of {@code etc/emq.conf}:
     * listed in its {@code META-INF/services/io.jemq.config.ConfigKeys$Source} and found with {@link
     * java.util.ServiceLoader} when the settings are read, so its keys are known without the core naming them.
     */
    public interface Source {
        ConfigKeys configKeys();
    }
}
