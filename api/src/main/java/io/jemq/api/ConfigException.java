package io.jemq.api;

/**
 * A setting is missing, malformed or out of range; the message names file, line and key
 * ({@code etc/plugins/emq_auth_mysql.conf:12: auth.mysql.pool: expected an integer from 1 to 1024, got "lots"}).
 * Thrown by {@link Settings}' getters and by a {@link PluginFactory#create} that rejects its config; the broker
 * refuses the load with it (and stops a start for a plugin listed in {@code data/loaded_plugins}).
 */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
