package io.jemq.api;

/**
 * Makes one kind of plugin ({@code emq_auth_username}, {@code emq_auth_mysql}, ...). Found through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.jemq.api.PluginFactory}) or registered by the
 * embedding code, so the core never imports a plugin.
 */
public interface PluginFactory {
    /** The plugin's name, which is also its config file's: {@code etc/plugins/<name>.conf}. */
    String name();

    String description();

    default String version() {
        return PluginFactory.class.getPackage().getImplementationVersion() == null ? "0.1.0"
                : PluginFactory.class.getPackage().getImplementationVersion();
    }

    /**
     * Reads the config and builds the plugin, ready to answer. Must leave nothing behind when it fails.
     *
     * @throws ConfigException naming file, line and key when the config is wrong
     */
    Plugin create(PluginContext context);
}
