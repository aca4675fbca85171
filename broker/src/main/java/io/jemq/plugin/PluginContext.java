package io.jemq.plugin;

import io.jemq.config.ConfFile;

import java.nio.file.Path;

/**
 * What a plugin is made from.
 *
 * @param config  its {@code etc/plugins/<name>.conf} (empty when there is no such file)
 * @param dataDir the broker's data directory, for a plugin's own store
 */
public record PluginContext(String name, ConfFile config, Path dataDir) {
}
