package io.jemq.bench.client;

/** The broker answered, but said no: a CONNACK or SUBACK with a failure code. */
public final class RefusedException extends RuntimeException {
    public RefusedException(String message) {
        super(message);
    }
}
