package io.jemq.plugin;

import io.jemq.api.PluginContext;
import io.jemq.api.Settings;

import java.nio.file.Path;

/** The context the plugin loader gives each plugin it makes. */
record LoadedPluginContext(String name, Settings settings, Path dataDir) implements PluginContext {
}
