package io.jemq.plugin;

import io.jemq.api.PluginFactory;
import io.jemq.api.Plugin;
import io.jemq.access.AclChain;
import io.jemq.api.Authenticator;
import io.jemq.api.Authorizer;
import io.jemq.access.AuthChain;
import io.jemq.config.ConfFile;
import io.jemq.api.ConfigException;
import io.jemq.ctl.ControlCommands;
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
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The plugins the broker knows (built in, found by {@link ServiceLoader}, or registered) and the ones loaded, in load
 * order. Loading one adds its sources in front of the chains (the most recently loaded is asked first, as in EMQ)
 * and appends it to {@code data/loaded_plugins}; unloading does the reverse. A load that fails (unknown name, broken
 * config) changes nothing. Load and unload are serialized; the chains are swapped whole.
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

    private final Map<String, PluginFactory> known = new TreeMap<>();
    private final Map<String, Plugin> loaded = new LinkedHashMap<>();
    /** The file's names in order: the loaded plugins plus names this broker does not know, kept for EMQ. */
    private final List<String> fileOrder = new ArrayList<>();
    private final Path etcDir;
    private final Path dataDir;
    private final LoadedPluginsFile loadedFile;
    private final AuthChain auth;
    private final AclChain acl;
    private final ControlCommands commands;

    public Plugins(Path etcDir, Path loadedFile, Path dataDir, AuthChain auth, AclChain acl,
                   ControlCommands commands) {
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
        Plugin p = create(name);
        List<String> newOrder = new ArrayList<>(fileOrder);
        newOrder.remove(name);
        newOrder.add(name);
        try {
            loadedFile.write(newOrder);
        } catch (IOException e) {
            p.close();
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
        Plugin p = loaded.get(name);
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
        p.commands().keySet().forEach(commands::unregister);
        rewire();
        p.close();
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

    private Plugin create(String name) {
        Path conf = etcDir.resolve(name + ".conf");
        ConfFile config = Files.exists(conf) ? ConfFile.load(conf) : ConfFile.of(Map.of());
        try {
            Plugin p = known.get(name).create(new LoadedPluginContext(name, config, dataDir));
            if (p == null) {
                throw new IllegalStateException("plugin " + name + " made nothing");
            }
            return p;
        } catch (ConfigException e) {
            throw new ConfigException("plugin " + name + " not loaded: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new ConfigException("plugin " + name + " not loaded: " + e);
        }
    }

    /** Puts the loaded plugins' sources in front of the chains, the most recently loaded first. */
    private void rewire() {
        List<Authenticator> authenticators = new ArrayList<>();
        List<Authorizer> authorizers = new ArrayList<>();
        for (String name : askOrder()) {
            Plugin p = loaded.get(name);
            authenticators.addAll(p.authenticators());
            authorizers.addAll(p.authorizers());
            p.commands().forEach(commands::register);
        }
        auth.setSources(authenticators);
        acl.setPluginSources(authorizers);
    }

    /** Takes every plugin out of the chains and commands, then closes them, most recently loaded first. */
    @Override
    public synchronized void close() {
        List<String> names = askOrder();
        // out of the chains first, as unload does: a CONNECT or PUBLISH checked from now on must not be handed to a
        // source whose pool or connection is being closed
        auth.setSources(List.of());
        acl.setPluginSources(List.of());
        for (String name : names) {
            Plugin p = loaded.remove(name);
            try {
                p.commands().keySet().forEach(commands::unregister);
                p.close();
            } catch (RuntimeException e) {
                log.warn("plugin {} failed to close: {}", name, e.toString());
            }
        }
    }
}
