package io.jemq.cli;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jemq.Broker;
import io.jemq.config.ListenerSettings;

/** Starts a built broker and says so in the log: one line per listener, then one line for the node. */
public final class Startup {
    private static final Logger log = LoggerFactory.getLogger(Startup.class);

    private Startup() {
    }

    /**
     * Blocks until every listener accepts connections.
     *
     * @throws StartFailure when a listener cannot bind; the broker has then been closed
     */
    public static void start(Broker broker) {
        try {
            broker.start().join();
        } catch (CompletionException e) {
            broker.close();
            throw StartFailure.explain(e, broker.settings().listeners());
        }
        for (ListenerSettings listener : broker.settings().listeners()) {
            log.info("listening on {} {}:{}", listener.id(), listener.host(), broker.boundPort(listener.id()));
        }
        // JVM uptime rather than time since main(): what an operator waits for includes the JVM's own start.
        long millis = ManagementFactory.getRuntimeMXBean().getUptime();
        log.info("jemq {} started as {} in {} ms", Version.current(), broker.settings().nodeName(), millis);
    }
}
