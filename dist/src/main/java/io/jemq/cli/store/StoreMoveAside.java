package io.jemq.cli.store;

import io.jemq.api.ConfigException;
import io.jemq.cli.SettingsLoader;
import io.jemq.config.StorageSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bin/jemq store-move-aside}: the documented way out of a disk store the broker refuses to start with (corrupt,
 * unreadable). Renames the directory of {@code mqtt.storage.dir} to {@code <dir>.broken-<date-time>} beside it, so
 * the next start begins with an empty store and nothing is lost for a post-mortem. Refuses while a broker holds the
 * store (RocksDB's lock on its {@code LOCK} file). Runs in its own small JVM, never inside a broker.
 */
@Command(name = "store-move-aside", mixinStandardHelpOptions = true, usageHelpWidth = 100,
        description = {"Moves the disk store (mqtt.storage.dir) aside to <dir>.broken-<date-time>, so that the next",
            "start begins with an empty store. Nothing is deleted. The broker must be stopped."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:moved, or there was no store to move", "1:a broker holds the store, or the move failed",
            "2:bad command line or bad configuration"})
public final class StoreMoveAside implements Callable<Integer> {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "etc/emq.conf",
            description = "the configuration file that names the store (default: ${DEFAULT-VALUE})")
    private Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override one setting, as for console and start")
    private Map<String, String> overrides = new LinkedHashMap<>();

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new StoreMoveAside()).execute(args));
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StorageSettings storage;
        try {
            storage = SettingsLoader.load(config, overrides).storage();
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return 2;
        }
        Path dir = storage.dir().toAbsolutePath().normalize();
        if (!Files.exists(dir)) {
            out.println("no disk store in " + dir + ": nothing to move");
            return 0;
        }
        if (inUse(dir)) {
            err.println("a running broker holds the disk store in " + dir + ": stop it first (bin/jemq stop)");
            return 1;
        }
        Path aside = dir.resolveSibling(dir.getFileName() + ".broken-" + STAMP.format(LocalDateTime.now()));
        try {
            Files.move(dir, aside);
        } catch (IOException e) {
            err.println("could not move " + dir + " to " + aside + ": " + e);
            return 1;
        }
        out.println("moved the disk store " + dir + " aside to " + aside
                + "; the next start begins with an empty store");
        return 0;
    }

    /** Whether another process holds RocksDB's lock (an fcntl lock on {@code LOCK}, which Java's tryLock meets). */
    private static boolean inUse(Path dir) {
        Path lock = dir.resolve("LOCK");
        if (!Files.exists(lock)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.WRITE)) {
            FileLock held = ch.tryLock();
            if (held == null) {
                return true;
            }
            held.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;           // unreadable lock file: the store is broken, which is why it is moved
        }
    }
}
