package io.jemq.api;

/**
 * Makes one kind of plugin ({@code emq_auth_username}, {@code emq_auth_mysql}, ...). Found through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.jemq.api.PluginFactory}, so it needs a public
 * no-argument constructor) or registered by the embedding code, so the core never imports a plugin. The broker asks
 * {@link #name}, {@link #description}, {@link #version} and {@link #settingsPrefix} on any thread, and calls
 * {@link #create} on the thread that loads the plugin (start-up, or the control server's for {@code plugins load}),
 * one load at a time.
 */
public interface PluginFactory {
    /** The plugin's name, which is also its config file's: {@code etc/plugins/<name>.conf}. */
    String name();

    /** One line for {@code plugins list}: {@code Authentication with MySQL}. */
    String description();

    /** The plugin's version for {@code plugins list}; by default the API's. */
    default String version() {
        return PluginFactory.class.getPackage().getImplementationVersion() == null ? "0.1.0"
                : PluginFactory.class.getPackage().getImplementationVersion();
    }

    /**
     * The first words of the plugin's keys, under which the broker reads {@code <prefix>.pool},
     * {@code <prefix>.pool_queue} and {@code <prefix>.on_error} for it ({@link PluginContext}). By default the name
     * without {@code emq_} or {@code emqx_}, underscores as dots: {@code emq_auth_mysql} reads {@code auth.mysql.*}.
     */
    default String settingsPrefix() {
        return name().replaceFirst("^emqx?_", "").replace('_', '.');
    }

    /**
     * Reads the config and builds the plugin, ready to answer. Fail for a broken config (a listed plugin that cannot
     * be made stops the broker's start), not for a backend that is down: its sources fail meanwhile and the failure
     * policy answers until it is back. Must leave nothing behind when it fails (what it got from the context the
     * broker takes back itself).
     *
     * @throws ConfigException naming file, line and key when the config is wrong
     */
    Plugin create(PluginContext context);
}
