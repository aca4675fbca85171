package io.jemq.access.it;

import io.jemq.ctl.ControlClient;
import io.jemq.it.EmbeddedBroker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A broker home in a temporary directory for access tests: etc/acl.conf, etc/plugins/*.conf, data/loaded_plugins and
 * the control socket, then an {@link EmbeddedBroker} over it. Start it again on the same directory to see what
 * survives a restart.
 */
public final class AccessFixture {
    private final Path home;
    private final Map<String, String> settings = new LinkedHashMap<>();

    private AccessFixture(Path home) {
        this.home = home;
        try {
            Files.createDirectories(home.resolve("etc/plugins"));
            Files.createDirectories(home.resolve("data"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        settings.put("mqtt.acl_file", etc("acl.conf").toString());
        settings.put("mqtt.plugins.etc_dir", etc("plugins").toString());
        settings.put("mqtt.plugins.loaded_file", data("loaded_plugins").toString());
        settings.put("node.data_dir", home.resolve("data").toString());
        settings.put("node.ctl_socket", data("jemq.ctl.sock").toString());
        acl("");
    }

    public static AccessFixture in(Path home) {
        return new AccessFixture(home);
    }

    public AccessFixture acl(String text) {
        return write(etc("acl.conf"), text);
    }

    /** Writes etc/plugins/{name}.conf; scripted plugins need {@code scripted.broken = off} in it. */
    public AccessFixture pluginConf(String name, String text) {
        return write(etc("plugins/" + name + ".conf"), text);
    }

    public AccessFixture loaded(String... names) {
        StringBuilder sb = new StringBuilder();
        for (String n : names) {
            sb.append(n).append(".\n");
        }
        return write(data("loaded_plugins"), sb.toString());
    }

    public AccessFixture set(String key, String value) {
        settings.put(key, value);
        return this;
    }

    public EmbeddedBroker start() {
        List<String> kv = new ArrayList<>();
        settings.forEach((k, v) -> {
            kv.add(k);
            kv.add(v);
        });
        return EmbeddedBroker.start(kv.toArray(String[]::new));
    }

    /** Runs {@code bin/jemq ctl <args>} against the running broker. */
    public ControlClient.Reply ctl(String... args) {
        try {
            return ControlClient.send(data("jemq.ctl.sock"), List.of(args));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path etc(String name) {
        return home.resolve("etc").resolve(name);
    }

    public Path data(String name) {
        return home.resolve("data").resolve(name);
    }

    public String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private AccessFixture write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }
}
