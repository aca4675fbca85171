package io.jemq.cli;

import java.util.concurrent.CountDownLatch;

import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.LoggerContext;
import io.jemq.Broker;

/**
 * Runs when the JVM is asked to stop (TERM, INT, {@code bin/jemq stop}): closes the broker gracefully, so wills are
 * published and sessions closed, then stops logback so the last lines reach the log file.
 */
public final class ShutdownHook extends Thread {
    private static final Logger log = LoggerFactory.getLogger(ShutdownHook.class);

    private final Broker broker;
    private final CountDownLatch done = new CountDownLatch(1);

    public ShutdownHook(Broker broker) {
        super("jemq-shutdown");
        this.broker = broker;
    }

    @Override
    public void run() {
        try {
            log.info("jemq stopping");
            broker.close();
            log.info("jemq stopped");
        } catch (RuntimeException e) {
            log.error("jemq did not stop cleanly", e);
        } finally {
            stopLogging();
            done.countDown();
        }
    }

    /** Parks the caller (the main thread) until the hook has run: the broker's own threads decide nothing. */
    public void awaitStopped() throws InterruptedException {
        done.await();
    }

    private static void stopLogging() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext context) {
            context.stop();
        }
    }
}
