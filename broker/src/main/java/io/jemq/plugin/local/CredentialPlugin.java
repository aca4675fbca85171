package io.jemq.plugin.local;

import io.jemq.api.Authenticator;
import io.jemq.api.ClientInfo;
import io.jemq.api.Settings;
import io.jemq.api.ConfigException;
import io.jemq.api.ControlCommand;
import io.jemq.api.Plugin;
import io.jemq.api.PluginContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@code emq_auth_username} and {@code emq_auth_clientid}: clients known by name, from {@code auth.user.$N.*} /
 * {@code auth.client.$N.*} in the plugin's config plus the ones added with {@code bin/jemq ctl users|clientids},
 * hashed in a store under {@code data/} so they survive restarts. The config's entries are written to the store at
 * each load (the config wins over an earlier {@code passwd}).
 */
final class CredentialPlugin implements Plugin {
    private static final Logger log = LoggerFactory.getLogger(CredentialPlugin.class);

    /** What differs between the username and the client id plugin. */
    record Kind(String plugin, String prefix, String field, String command, String noun,
                Function<ClientInfo, String> identity) {
        static final Kind USERNAME = new Kind("emq_auth_username", "auth.user", "username", "users", "user",
                ClientInfo::username);
        static final Kind CLIENTID = new Kind("emq_auth_clientid", "auth.client", "clientid", "clientids",
                "client id", ClientInfo::clientId);
    }

    private final Kind kind;
    private final CredentialStore store;
    private final ExecutorService slowChecks;
    private final CredentialAuthenticator authenticator;

    private CredentialPlugin(Kind kind, CredentialStore store) {
        this.kind = kind;
        this.store = store;
        // bcrypt checks only; a small bounded pool so a flood of logins queues instead of taking every core
        ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(10_000),
                r -> {
                    Thread t = new Thread(r, kind.plugin() + "-bcrypt");
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        this.slowChecks = pool;
        this.authenticator = new CredentialAuthenticator(kind.plugin(), store, kind.identity(), slowChecks);
    }

    static CredentialPlugin create(Kind kind, PluginContext context) {
        Settings conf = context.settings();
        CredentialStore.Scheme scheme = conf.oneOf(kind.prefix() + ".password_hash", CredentialStore.Scheme.class,
                CredentialStore.Scheme.SHA256);
        Map<String, byte[]> seeded = new LinkedHashMap<>();
        for (String n : conf.names(kind.prefix())) {
            if (!n.chars().allMatch(Character::isDigit)) {
                continue;
            }
            String nameKey = kind.prefix() + "." + n + "." + kind.field();
            String passwordKey = kind.prefix() + "." + n + ".password";
            String name = conf.find(nameKey).orElseThrow(() -> new ConfigException(conf.origin(passwordKey)
                    .orElse(context.name()) + ": " + nameKey + ": expected a " + kind.noun() + " for " + passwordKey));
            String password = conf.find(passwordKey).orElseThrow(() -> new ConfigException(conf.origin(nameKey)
                    .orElseThrow() + ": " + passwordKey + ": expected a password for " + kind.noun() + " " + name));
            if (name.isEmpty()) {
                throw conf.invalid(nameKey, "a non-empty " + kind.noun());
            }
            seeded.put(name, password.getBytes(StandardCharsets.UTF_8));
        }
        CredentialStore store = new CredentialStore(context.dataDir().resolve(kind.plugin() + ".db"), scheme);
        for (Map.Entry<String, byte[]> e : seeded.entrySet()) {
            CredentialStore.Entry existing = store.find(e.getKey());
            if (existing == null || !existing.matches(e.getValue())) {
                try {
                    store.put(e.getKey(), e.getValue());
                } catch (IOException ex) {
                    throw new ConfigException("cannot save " + kind.noun() + " " + e.getKey() + ": " + ex);
                }
            }
        }
        log.info("{}: {} {}(s) known", kind.plugin(), store.names().size(), kind.noun());
        return new CredentialPlugin(kind, store);
    }

    @Override
    public List<Authenticator> authenticators() {
        return List.of(authenticator);
    }

    @Override
    public Map<String, ControlCommand> commands() {
        return Map.of(kind.command(), new CredentialCommand(kind, store));
    }

    @Override
    public void close() {
        slowChecks.shutdown();
    }

    /** {@code users list|add|del|passwd} or {@code clientids list|add|del|passwd}. */
    private record CredentialCommand(Kind kind, CredentialStore store) implements ControlCommand {
        @Override
        public List<String> usage() {
            String what = kind.field().equals("username") ? "<Username>" : "<ClientId>";
            return List.of(
                    line(kind.command() + " list", "List the " + kind.noun() + "s"),
                    line(kind.command() + " add " + what + " <Password>", "Add a " + kind.noun()),
                    line(kind.command() + " passwd " + what + " <Password>", "Change a " + kind.noun() + "'s password"),
                    line(kind.command() + " del " + what, "Delete a " + kind.noun()));
        }

        /** Prints the usage of a command that was called wrongly, as the broker's own commands do. @return 2 */
        private int wrongUsage(PrintWriter out) {
            out.println("Usage:");
            usage().forEach(line -> out.println("  " + line));
            return 2;
        }

        private static String line(String form, String what) {
            return String.format("%-36s%s", form, what);
        }

        @Override
        public int run(List<String> args, PrintWriter out) {
            String sub = args.isEmpty() ? "" : args.get(0);
            try {
                switch (sub) {
                    case "list" -> {
                        if (args.size() != 1) {
                            return wrongUsage(out);
                        }
                        store.names().forEach(out::println);
                        return 0;
                    }
                    case "add", "passwd" -> {
                        if (args.size() != 3 || args.get(1).isEmpty()) {
                            return wrongUsage(out);
                        }
                        boolean exists = store.contains(args.get(1));
                        if (sub.equals("add") && exists) {
                            out.println(kind.noun() + " " + args.get(1) + " exists already (use " + kind.command()
                                    + " passwd)");
                            return 1;
                        }
                        if (sub.equals("passwd") && !exists) {
                            out.println("no " + kind.noun() + " " + args.get(1));
                            return 1;
                        }
                        store.put(args.get(1), args.get(2).getBytes(StandardCharsets.UTF_8));
                        out.println("ok");
                        return 0;
                    }
                    case "del" -> {
                        if (args.size() != 2) {
                            return wrongUsage(out);
                        }
                        if (!store.remove(args.get(1))) {
                            out.println("no " + kind.noun() + " " + args.get(1));
                            return 1;
                        }
                        out.println("ok");
                        return 0;
                    }
                    default -> {
                        return wrongUsage(out);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot save the " + kind.noun() + "s", e);
            }
        }
    }
}
