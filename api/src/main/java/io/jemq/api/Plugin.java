package io.jemq.api;


import java.util.List;
import java.util.Map;

/**
 * A loaded plugin: what it adds to the broker while it is loaded. Made by its {@link PluginFactory} from its config
 * file; closed when unloaded or when the broker stops.
 */
public interface Plugin extends AutoCloseable {
    /** Asked at CONNECT, in this order, before the sources of plugins loaded earlier. */
    default List<Authenticator> authenticators() {
        return List.of();
    }

    /** Asked at PUBLISH and SUBSCRIBE, in this order, before earlier plugins' and before acl.conf. */
    default List<Authorizer> authorizers() {
        return List.of();
    }

    /** {@code bin/jemq ctl} commands, by name, available while the plugin is loaded. */
    default Map<String, ControlCommand> commands() {
        return Map.of();
    }

    /** Releases connections, pools and threads. Must not throw. */
    @Override
    default void close() {
    }
}
