package io.jemq.api;

/**
 * A source could not answer because what it asks is out: the backend is unreachable or failing, the plugin's pool is
 * full, or the plugin is closing. A source completes its stage exceptionally with it (or throws it) and the chain
 * answers by the plugin's {@link FailurePolicy}; any other failure is handled the same way, this one only says so
 * plainly in the log. The chain itself ends a CONNECT with one when a source fails under {@link FailurePolicy#DENY}
 * (CONNACK 3 / 0x88). No stack trace: an outage is an expected condition and is logged once, by source.
 */
public final class SourceUnavailableException extends RuntimeException {
    private final String why;

    /** @param source the source's or plugin's name, as the log should show it */
    public SourceUnavailableException(String source, Throwable cause) {
        this(source, describe(cause), cause);
    }

    /** @param why what is out, in a few words: "connection refused", "pool full" */
    public SourceUnavailableException(String source, String why) {
        this(source, why, null);
    }

    private SourceUnavailableException(String source, String why, Throwable cause) {
        super(source + " is unavailable: " + why, cause, false, false);
        this.why = why;
    }

    /** The reason without the source's name. */
    public String why() {
        return why;
    }

    /** A failure in a few words: the cause of a CompletionException, "no answer in time" for a timeout. */
    public static String describe(Throwable e) {
        if (e == null) {
            return "no answer";
        }
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                ? e.getCause() : e;
        if (cause instanceof java.util.concurrent.TimeoutException) {
            return "no answer within mqtt.auth_timeout";
        }
        return cause instanceof SourceUnavailableException u ? u.why() : cause.toString();
    }
}
