package io.jemq.it;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Collects what a package logs while it is open, at DEBUG and above. Shared by the integration test packages. */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Level previousLevel;

    public LogCapture(String loggerName) {
        logger = (Logger) LoggerFactory.getLogger(loggerName);
        previousLevel = logger.getLevel();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.DEBUG);
        logger.setAdditive(false);         // DEBUG is for the assertions, not for the build's output
    }

    /** The formatted messages logged at {@code level}. */
    public List<String> messages(Level level) {
        synchronized (appender) {
            return appender.list.stream().filter(e -> e.getLevel() == level)
                    .map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    /** The events at INFO or above that carry a stack trace. */
    public List<ILoggingEvent> withStackTraceAtInfoOrAbove() {
        synchronized (appender) {
            return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
                    .filter(e -> e.getThrowableProxy() != null).toList();
        }
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(previousLevel);
        logger.setAdditive(true);
    }
}
