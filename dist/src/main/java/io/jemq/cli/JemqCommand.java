package io.jemq.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jemq.Broker;
import io.jemq.api.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The broker's command line: load the settings, start, run until the JVM is told to stop. */
@Command(name = "jemq",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        usageHelpWidth = 100,
        description = {
            "Runs the jemq MQTT broker in the foreground until it receives TERM or INT (Ctrl-C).",
            "bin/jemq console and bin/jemq start run this command; see docs/running.md."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:--help or --version",
            "1:the broker could not start (a listener cannot bind, or an internal error)",
            "2:bad command line or bad configuration",
            "143:stopped by TERM (130 for INT), after a graceful shutdown"})
public final class JemqCommand implements Callable<Integer> {
    static final int START_FAILED = 1;
    static final int BAD_CONFIG = 2;

    private static final Logger log = LoggerFactory.getLogger(JemqCommand.class);

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "etc/emq.conf",
            description = "the configuration file in EMQ's format (default: ${DEFAULT-VALUE})")
    private Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = {"override one setting of the file, e.g. --set listener.tcp.external=1884;",
                "repeat for several; applied in the order given"})
    private Map<String, String> overrides = new LinkedHashMap<>();

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        Broker broker;
        try {
            broker = Broker.builder().settings(SettingsLoader.load(config, overrides)).build();
        } catch (ConfigException e) {
            // The message already names file, line and key; a stack trace would only hide it.
            err.println(e.getMessage());
            return BAD_CONFIG;
        } catch (RuntimeException e) {
            return crashed(err, e);
        }
        // Registered before start() so that a TERM arriving during start-up still closes what was opened.
        ShutdownHook hook = new ShutdownHook(broker);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Startup.start(broker);
        } catch (StartFailure e) {
            forget(hook);
            err.println(e.getMessage());
            return START_FAILED;
        } catch (RuntimeException e) {
            forget(hook);
            try {
                broker.close();
            } catch (RuntimeException duringClose) {
                e.addSuppressed(duringClose);
            }
            return crashed(err, e);
        }
        hook.awaitStopped();
        return 0;
    }

    private static int crashed(PrintWriter err, RuntimeException e) {
        log.error("jemq failed to start", e);
        err.println("jemq failed to start: " + e);
        return START_FAILED;
    }

    /** A broker that never started must not log "stopping" on the way out. */
    private static void forget(ShutdownHook hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The JVM is already exiting and will run the hook; closing twice is harmless.
        }
    }
}
