package io.jemq.bench.scenario;

/** A run that cannot go on (broker unreachable, connection refused, timed out); its message is shown as is. */
public final class BenchException extends RuntimeException {
    public BenchException(String message) {
        super(message);
    }
}
