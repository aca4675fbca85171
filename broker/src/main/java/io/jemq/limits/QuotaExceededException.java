package io.jemq.limits;

/** A memory budget refused a reservation; the caller answers the client (0x97, 0x80, a drop). No stack trace. */
public final class QuotaExceededException extends RuntimeException {
    public QuotaExceededException(String message) {
        super(message, null, false, false);
    }
}
