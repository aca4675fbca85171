package io.jemq.testkit;

import io.jemq.Broker;
import io.jemq.config.BrokerSettings;
import io.jemq.config.ConfFile;
import io.jemq.ctl.ControlClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A broker in the test's JVM, configured with the same keys as {@code etc/emq.conf}, whose home ({@code etc/},
 * {@code data/}) is a folder of its own: nothing is read from or written to the working directory.
 * <pre>{@code
 * try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.session.max_inflight", "4")) { b.port(); }
 * try (EmbeddedBroker b = EmbeddedBroker.builder().acl("{deny, all}.").set("mqtt.allow_anonymous", "false")
 *         .start()) { b.port("tcp.external"); }
 * }</pre>
 * The default listener is {@code tcp.external} on {@code 127.0.0.1:0}; every key a test sets wins over the home's
 * paths and that listener. Called from the test's thread; the broker runs on its own event loops.
 */
public final class EmbeddedBroker implements AutoCloseable {
    /** The default listener's id: what {@link #port()} returns the port of. */
    public static final String DEFAULT_LISTENER = "tcp.external";

    private final Broker broker;
    private final Builder builder;
    private final Path home;
    private final boolean deleteHome;

    private EmbeddedBroker(Broker broker, Builder builder, Path home, boolean deleteHome) {
        this.broker = broker;
        this.builder = builder;
        this.home = home;
        this.deleteHome = deleteHome;
    }

    /** A broker in a new temporary home, deleted when the broker closes. */
    public static Builder builder() {
        return new Builder(null);
    }

    /**
     * A broker whose home is {@code home} (created when missing, never deleted): start it again from the same builder
     * to see what survives a restart.
     */
    public static Builder in(Path home) {
        return new Builder(home);
    }

    /** @param keyValues alternating keys and values, applied over a loopback listener on port 0 and a temporary home */
    public static EmbeddedBroker start(String... keyValues) {
        return builder().set(keyValues).start();
    }

    /**
     * Builds a broker with exactly this configuration (no home, no default listener) and starts it; closes it when
     * the start fails, since the test never gets the broker to close: its event loops and control socket would
     * outlive the test.
     */
    private static Broker startBroker(Map<String, String> conf) {
        Broker b = Broker.builder().settings(BrokerSettings.from(ConfFile.of(conf))).build();
        try {
            b.start().join();
        } catch (RuntimeException e) {
            try {
                b.close();
            } catch (RuntimeException duringClose) {
                e.addSuppressed(duringClose);
            }
            throw e;
        }
        return b;
    }

    /** The port of the default listener, {@code tcp.external}. */
    public int port() {
        return broker.boundPort(DEFAULT_LISTENER);
    }

    /** The port a listener is bound to, e.g. {@code port("ws.test")}. */
    public int port(String listenerId) {
        return broker.boundPort(listenerId);
    }

    public Broker broker() {
        return broker;
    }

    /** The broker's home: {@code etc/} and {@code data/} are below it. */
    public Path home() {
        return home;
    }

    /** Runs {@code bin/jemq ctl <args>} against this broker; the builder must have asked for a control socket. */
    public ControlClient.Reply ctl(String... args) {
        return builder.ctl(args);
    }

    /** Stops the broker and deletes its home when it was a temporary one. */
    @Override
    public void close() {
        try {
            broker.close();
        } finally {
            if (deleteHome) {
                deleteTree(home);
            }
        }
        NettyLeaks.assertNone();
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the test broker's home " + root, e);
        }
    }

    /**
     * The home and the settings of a broker to start. Files ({@code acl.conf}, plugin configs, the loaded plugins
     * list) are written when asked for, so a test can change them between two starts from the same builder.
     */
    public static final class Builder {
        private final Path givenHome;
        private Path home;
        private final Map<String, String> settings = new LinkedHashMap<>();
        private boolean defaultListener = true;

        private Builder(Path givenHome) {
            this.givenHome = givenHome;
        }

        /** Sets one key, as {@code --set key=value} would. */
        public Builder set(String key, String value) {
            settings.put(key, value);
            return this;
        }

        /** @param keyValues alternating keys and values */
        public Builder set(String... keyValues) {
            if (keyValues.length % 2 != 0) {
                throw new IllegalArgumentException("keys and values must alternate: " + List.of(keyValues));
            }
            for (int i = 0; i < keyValues.length; i += 2) {
                settings.put(keyValues[i], keyValues[i + 1]);
            }
            return this;
        }

        public Builder settings(Map<String, String> keyValues) {
            settings.putAll(keyValues);
            return this;
        }

        /** Without {@code tcp.external}: for tests that configure every listener themselves. */
        public Builder noDefaultListener() {
            defaultListener = false;
            return this;
        }

        /** Opens the control socket ({@code node.ctl_socket}) at {@code data/jemq.ctl.sock}, for {@link #ctl}. */
        public Builder controlSocket() {
            settings.put("node.ctl_socket", data("jemq.ctl.sock").toString());
            return this;
        }

        /** Writes {@code etc/acl.conf}. */
        public Builder acl(String text) {
            return write(etc("acl.conf"), text);
        }

        /** Writes {@code etc/plugins/{name}.conf}; scripted plugins need {@code scripted.broken = off} in it. */
        public Builder pluginConf(String name, String text) {
            return write(etc("plugins/" + name + ".conf"), text);
        }

        /** Writes {@code data/loaded_plugins}: the plugins the broker loads at start, in order. */
        public Builder loaded(String... names) {
            StringBuilder sb = new StringBuilder();
            for (String n : names) {
                sb.append(n).append(".\n");
            }
            return write(data("loaded_plugins"), sb.toString());
        }

        /** Builds and starts the broker; a start that fails closes what it opened and deletes a temporary home. */
        public EmbeddedBroker start() {
            Path dir = home();
            if (!Files.exists(etc("acl.conf"))) {
                acl("");
            }
            Map<String, String> conf = new LinkedHashMap<>();
            if (defaultListener) {
                conf.put("listener." + DEFAULT_LISTENER, "127.0.0.1:0");
            }
            conf.put("mqtt.acl_file", etc("acl.conf").toString());
            conf.put("mqtt.plugins.etc_dir", etc("plugins").toString());
            conf.put("mqtt.plugins.loaded_file", data("loaded_plugins").toString());
            conf.put("node.data_dir", dir.resolve("data").toString());
            // the broker's own tests have no disk store on their class path; a test of the disk store sets "disk"
            conf.put("mqtt.storage", "memory");
            conf.putAll(settings);
            boolean temporary = givenHome == null;
            try {
                return new EmbeddedBroker(startBroker(conf), this, dir, temporary);
            } catch (RuntimeException e) {
                if (temporary) {
                    deleteTree(dir);
                    home = null;
                }
                throw e;
            }
        }

        /** Runs {@code bin/jemq ctl <args>} against the running broker started from this builder. */
        public ControlClient.Reply ctl(String... args) {
            String socket = settings.get("node.ctl_socket");
            if (socket == null) {
                throw new IllegalStateException("no control socket: call controlSocket() before start()");
            }
            try {
                return ControlClient.send(Path.of(socket), List.of(args));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The home folder, made on first use: a temporary one unless the builder was given one. */
        public Path home() {
            try {
                if (home == null) {
                    home = givenHome != null ? givenHome : Files.createTempDirectory("jemq-home");
                }
                Files.createDirectories(home.resolve("etc/plugins"));     // again after a temporary home was deleted
                Files.createDirectories(home.resolve("data"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return home;
        }

        public Path etc(String name) {
            return home().resolve("etc").resolve(name);
        }

        public Path data(String name) {
            return home().resolve("data").resolve(name);
        }

        /** The text of a file, e.g. {@code read(data("loaded_plugins"))}. */
        public String read(Path file) {
            try {
                return Files.readString(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private Builder write(Path file, String text) {
            try {
                Files.writeString(file, text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }
    }
}
