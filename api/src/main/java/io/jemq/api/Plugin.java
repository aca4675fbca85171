package io.jemq.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A loaded plugin: what it adds to the broker while it is loaded. Made by its {@link PluginFactory} from its config
 * file; closed when unloaded or when the broker stops.
 *
 * <p>The broker asks {@link #authenticators()}, {@link #authorizers()} and {@link #commands()} on the thread that
 * loads or unloads a plugin (start-up, the control server's), each time the set of loaded plugins changes: return the
 * same objects every time, made in {@link PluginFactory#create}. Their own methods are then called on other threads
 * (see each type).
 */
public interface Plugin extends AutoCloseable {
    /** Asked at CONNECT, in this order, before the sources of plugins loaded earlier. */
    default List<Authenticator> authenticators() {
        return List.of();
    }

    /** Asked at PUBLISH, SUBSCRIBE and wills, in this order, before earlier plugins' and before acl.conf. */
    default List<Authorizer> authorizers() {
        return List.of();
    }

    /** {@code bin/jemq ctl} commands, by name, available while the plugin is loaded. */
    default Map<String, ControlCommand> commands() {
        return Map.of();
    }

    /**
     * Settings management may read and change while the plugin runs ({@link LiveSettings}); empty (the default) for a
     * plugin whose settings change only by editing its file and loading it again. Asked on management threads.
     */
    default Optional<LiveSettings> liveSettings() {
        return Optional.empty();
    }

    /**
     * Releases connections, pools and threads the plugin made itself. Called once, on the unloading thread, after the
     * broker took the plugin's sources out of the chains and its commands away, removed its listeners, cancelled its
     * timed tasks and let the work queued on its executor finish (a few seconds at most); the executor is stopped
     * right after. Must not throw.
     */
    @Override
    default void close() {
    }
}
