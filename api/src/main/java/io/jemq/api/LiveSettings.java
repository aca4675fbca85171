package io.jemq.api;

import java.util.Map;

/**
 * A loaded plugin's settings, read and changed while it runs: what the management API and the dashboard edit. A
 * plugin offers it through {@link Plugin#liveSettings()}; the broker hands it out by plugin name
 * ({@code Plugins.liveSettings(name)}), so management needs no plugin's types. A plugin with typed settings keeps its
 * own typed method too ({@code HttpAuthPlugin.update(HttpAuthSettings)}); this is the same thing as keys and values.
 *
 * <p>Threads: called on management threads while the plugin answers checks on event loops. An implementation keeps
 * its settings as one immutable snapshot and swaps it whole, so a request sees the old or the new settings, never a
 * mix. Thread-safe.
 */
public interface LiveSettings {
    /**
     * The settings in effect, as the keys and values the plugin's config file would hold to give them (secrets such
     * as passwords and header values included: management decides what it shows).
     */
    Map<String, String> current();

    /**
     * Checks {@code changes} over the settings in effect, applies them for the requests that start from now on, and
     * writes them to the plugin's config file ({@link PluginContext#configFile()}) atomically, its comments and the
     * lines it did not change kept as they were. A null value removes the key (its default applies).
     *
     * @return the settings in effect afterwards, as {@link #current()} gives them
     * @throws ConfigException naming the key and what it expects when a value is wrong, or saying why the file could
     *                         not be written; either way nothing changed
     */
    Map<String, String> update(Map<String, String> changes);
}
