package io.jemq.access;

/** An authentication source failed or did not answer in time: the client gets "server unavailable". */
public final class SourceUnavailableException extends RuntimeException {
    public SourceUnavailableException(String source, Throwable cause) {
        super("authentication source " + source + " is unavailable: " + SourceHealth.describe(cause), cause, false,
                false);
    }
}
