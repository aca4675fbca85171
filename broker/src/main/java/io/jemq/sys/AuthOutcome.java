package io.jemq.sys;

/**
 * How one authentication source answered one CONNECT, counted per source name (the plugin's name, such as
 * {@code emq_auth_mysql}): published under {@code $SYS/brokers/<node>/metrics/auth/<source>/<path>} and exported to
 * Prometheus with a {@code source} label. EMQ has no such figures; these names are jemq's.
 */
public enum AuthOutcome {
    /** The source allowed the client. */
    SUCCESS("success", "jemq_auth_source_success", "CONNECTs this source allowed"),
    /** The source denied the client (a wrong password, a banned client...). */
    FAILURE("failure", "jemq_auth_source_failure", "CONNECTs this source denied"),
    /** The source did not know the client; the next one was asked. */
    IGNORE("ignore", "jemq_auth_source_ignore", "CONNECTs this source did not know, passed to the next"),
    /** The source did not answer: unreachable, failed or timed out. */
    ERROR("error", "jemq_auth_source_error", "CONNECTs this source could not answer (down, failed, timed out)");

    private final String path;
    private final String prometheusName;
    private final String help;

    AuthOutcome(String path, String prometheusName, String help) {
        this.path = path;
        this.prometheusName = prometheusName;
        this.help = help;
    }

    public String path() {
        return path;
    }

    public String prometheusName() {
        return prometheusName;
    }

    public String help() {
        return help;
    }
}
