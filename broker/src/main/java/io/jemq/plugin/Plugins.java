package io.jemq.plugin;

import io.jemq.access.AclChain;
import io.jemq.access.AuthChain;
import io.jemq.api.Authenticator;
import io.jemq.api.Authorizer;
import io.jemq.api.ConfigException;
import io.jemq.api.FailurePolicy;
import io.jemq.api.LiveSettings;
import io.jemq.api.Plugin;
import io.jemq.api.PluginFactory;
import io.jemq.config.ConfFile;
import io.jemq.ctl.ControlCommands;
import io.jemq.events.BrokerEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The plugins the broker knows (built in, found by {@link ServiceLoader}, or registered) and the ones loaded, in load
 * order. Loading one adds its sources in front of the chains (the most recently loaded is asked first, as in EMQ)
 * and appends it to {@code data/loaded_plugins}; unloading does the reverse. A load that fails (unknown name, broken
 * config) changes nothing. Load and unload are serialized; the chains are swapped whole.
 *
 * <p>Each plugin gets a {@link LoadedPluginContext}: its executor, its share of one scheduler thread, its counters,
 * its listeners on the event bus and its failure policy, which the chains apply to its sources. Unloading takes the
 * plugin out of the chains, its listeners off the bus and cancels its timed tasks; lets the work its executor holds
 * finish (up to {@link #CLOSE_GRACE_MILLIS}) while the plugin's connections are still open; closes the plugin; then
 * stops what still runs on its executor.
 */
public final class Plugins implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Plugins.class);

    /** What {@code plugins list} shows about one plugin. */
    public record Info(String name, String version, String description, boolean active) {
        @Override
        public String toString() {
            return "Plugin(" + name + ", version=" + version + ", description=" + description + ", active=" + active
                    + ")";
        }
    }

    /** How long an unloading plugin's queued and running requests get to finish before it is closed. */
    static final long CLOSE_GRACE_MILLIS = 2000;

    /** A loaded plugin and what the broker handed it. */
    private record Loaded(Plugin plugin, LoadedPluginContext context) {
    }

    private final Map<String, PluginFactory> known = new TreeMap<>();
    private final Map<String, Loaded> loaded = new LinkedHashMap<>();
    /** The file's names in order: the loaded plugins plus names this broker does not know, kept for EMQ. */
    private final List<String> fileOrder = new ArrayList<>();
    private final Path etcDir;
    private final Path dataDir;
    private final LoadedPluginsFile loadedFile;
    private final AuthChain auth;
    private final AclChain acl;
    private final ControlCommands commands;
    private final BrokerEvents events;
    /** Every plugin's timed tasks, on one daemon thread that starts with the first task. */
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "jemq-plugin-scheduler");
        t.setDaemon(true);
        return t;
    });

    public Plugins(Path etcDir, Path loadedFile, Path dataDir, AuthChain auth, AclChain acl,
                   ControlCommands commands, BrokerEvents events) {
        scheduler.setRemoveOnCancelPolicy(true);
        this.events = events;
        this.etcDir = etcDir;
        this.dataDir = dataDir;
        this.loadedFile = new LoadedPluginsFile(loadedFile);
        this.auth = auth;
        this.acl = acl;
        this.commands = commands;
        for (PluginFactory f : ServiceLoader.load(PluginFactory.class, Plugins.class.getClassLoader())) {
            known.put(f.name(), f);
        }
    }

    /** Makes a plugin kind known (embedding, tests); replaces one of the same name. */
    public synchronized void register(PluginFactory factory) {
        known.put(factory.name(), factory);
    }

    /**
     * Loads the plugins named in {@code data/loaded_plugins}, in order. A name this broker does not know is skipped
     * with a warning (and kept in the file); a known plugin that cannot load stops the start.
     *
     * @throws ConfigException naming the plugin and its config problem
     */
    public synchronized void loadAtStart() {
        List<String> names = loadedFile.read();
        fileOrder.clear();
        fileOrder.addAll(names);
        for (String name : names) {
            if (!known.containsKey(name)) {
                log.warn("{}: plugin {} is not available in jemq; skipped", loadedFile.path(), name);
                continue;
            }
            try {
                loaded.put(name, create(name));
            } catch (RuntimeException e) {
                close();                                     // what loaded before it must not leak
                throw e;
            }
            log.info("loaded plugin {}", name);
        }
        rewire();
    }

    /**
     * Loads a plugin now and remembers it for the next start.
     *
     * @throws IllegalArgumentException when the plugin is unknown or loaded already
     * @throws ConfigException          when its config is broken; nothing changed
     */
    public synchronized void load(String name) {
        if (loaded.containsKey(name)) {
            throw new IllegalArgumentException("plugin " + name + " is already loaded");
        }
        if (!known.containsKey(name)) {
            throw new IllegalArgumentException("no plugin named " + name + " (known: " + String.join(", ",
                    known.keySet()) + ")");
        }
        Loaded p = create(name);
        List<String> newOrder = new ArrayList<>(fileOrder);
        newOrder.remove(name);
        newOrder.add(name);
        try {
            loadedFile.write(newOrder);
        } catch (IOException e) {
            closeLoaded(name, p);
            throw new ConfigException("cannot write " + loadedFile.path() + ": " + e + "; plugin " + name
                    + " not loaded");
        }
        fileOrder.clear();
        fileOrder.addAll(newOrder);
        loaded.put(name, p);
        rewire();
        log.info("loaded plugin {}", name);
    }

    /** @throws IllegalArgumentException when it is not loaded */
    public synchronized void unload(String name) {
        Loaded p = loaded.get(name);
        if (p == null) {
            throw new IllegalArgumentException("plugin " + name + " is not loaded");
        }
        List<String> newOrder = new ArrayList<>(fileOrder);
        newOrder.remove(name);
        try {
            loadedFile.write(newOrder);
        } catch (IOException e) {
            throw new ConfigException("cannot write " + loadedFile.path() + ": " + e + "; plugin " + name
                    + " still loaded");
        }
        fileOrder.clear();
        fileOrder.addAll(newOrder);
        loaded.remove(name);
        p.plugin().commands().keySet().forEach(commands::unregister);
        rewire();
        closeLoaded(name, p);
        log.info("unloaded plugin {}", name);
    }

    /** Every known plugin, by name. */
    public synchronized List<Info> list() {
        List<Info> out = new ArrayList<>();
        known.values().forEach(f -> out.add(new Info(f.name(), f.version(), f.description(),
                loaded.containsKey(f.name()))));
        return out;
    }

    /** The loaded plugins, most recently loaded (asked first) first. */
    public synchronized List<String> askOrder() {
        List<String> names = new ArrayList<>(loaded.keySet());
        Collections.reverse(names);
        return names;
    }

    /** A plugin's counters by name, while it is loaded; empty otherwise. For management. */
    public synchronized Map<String, Long> metrics(String name) {
        Loaded p = loaded.get(name);
        return p == null ? Map.of() : p.context().counters().snapshot();
    }

    /**
     * The settings a loaded plugin lets management read and change while it runs ({@link LiveSettings}); empty when
     * it is not loaded or offers none. For the management API and the dashboard.
     */
    public synchronized Optional<LiveSettings> liveSettings(String name) {
        Loaded p = loaded.get(name);
        return p == null ? Optional.empty() : p.plugin().liveSettings();
    }

    /** The context handed to a loaded plugin (tests); null when it is not loaded. */
    synchronized LoadedPluginContext context(String name) {
        Loaded p = loaded.get(name);
        return p == null ? null : p.context();
    }

    private Loaded create(String name) {
        Path conf = etcDir.resolve(name + ".conf");
        ConfFile config = Files.exists(conf) ? ConfFile.load(conf) : ConfFile.of(Map.of());
        PluginFactory factory = known.get(name);
        LoadedPluginContext context = null;
        try {
            context = new LoadedPluginContext(name, factory.settingsPrefix(), config, conf, dataDir, scheduler,
                    events);
            Plugin p = factory.create(context);
            if (p == null) {
                throw new IllegalStateException("plugin " + name + " made nothing");
            }
            return new Loaded(p, context);
        } catch (RuntimeException e) {
            if (context != null) {
                context.closeUnused();                      // what it registered or scheduled must not outlive it
            }
            throw new ConfigException("plugin " + name + " not loaded: "
                    + (e instanceof ConfigException ? e.getMessage() : e.toString()));
        }
    }

    /** Events and timed tasks stop, queued work finishes, the plugin closes, then its executor stops. */
    private static void closeLoaded(String name, Loaded p) {
        p.context().quiesce(CLOSE_GRACE_MILLIS);
        try {
            p.plugin().close();
        } catch (RuntimeException e) {
            log.warn("plugin {} failed to close: {}", name, e.toString());
        } finally {
            p.context().release();
        }
    }

    /** Puts the loaded plugins' sources in front of the chains, the most recently loaded first. */
    private void rewire() {
        List<Authenticator> authenticators = new ArrayList<>();
        List<FailurePolicy> authPolicies = new ArrayList<>();
        List<Authorizer> authorizers = new ArrayList<>();
        List<FailurePolicy> aclPolicies = new ArrayList<>();
        for (String name : askOrder()) {
            Plugin p = loaded.get(name).plugin();
            FailurePolicy onError = loaded.get(name).context().failurePolicy();
            for (Authenticator a : p.authenticators()) {
                authenticators.add(a);
                authPolicies.add(onError);
            }
            for (Authorizer a : p.authorizers()) {
                authorizers.add(a);
                aclPolicies.add(onError);
            }
            p.commands().forEach(commands::register);
        }
        auth.setSources(authenticators, authPolicies);
        acl.setPluginSources(authorizers, aclPolicies);
    }

    /**
     * Takes every plugin out of the chains and commands, then closes them, most recently loaded first, and stops the
     * scheduler thread.
     */
    @Override
    public synchronized void close() {
        List<String> names = askOrder();
        // out of the chains first, as unload does: a CONNECT or PUBLISH checked from now on must not be handed to a
        // source whose pool or connection is being closed
        auth.setSources(List.of());
        acl.setPluginSources(List.of());
        for (String name : names) {
            Loaded p = loaded.remove(name);
            try {
                p.plugin().commands().keySet().forEach(commands::unregister);
            } catch (RuntimeException e) {
                log.warn("plugin {} failed to list its commands: {}", name, e.toString());
            }
            closeLoaded(name, p);
        }
        scheduler.shutdownNow();
    }
}
