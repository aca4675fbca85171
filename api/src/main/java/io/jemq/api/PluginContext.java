package io.jemq.api;

import java.nio.file.Path;

/**
 * What the broker hands a plugin when its {@link PluginFactory} makes it. Valid until the plugin is closed.
 */
public interface PluginContext {
    /** The plugin's name, e.g. {@code emq_auth_mysql}. */
    String name();

    /** Its {@code etc/plugins/<name>.conf} (empty when there is no such file). */
    Settings settings();

    /** The broker's data directory, for a plugin's own files. */
    Path dataDir();
}
