package io.jemq.api;

/**
 * What a plugin's sources answer while their backend is out: unreachable, too slow ({@code mqtt.auth_timeout}), its
 * pool full, or failing in any other way (a stage completed exceptionally, a {@link SourceUnavailableException} or
 * anything else thrown). Set per plugin with {@code <prefix>.on_error = deny | ignore} ({@code auth.mysql.on_error});
 * the broker's chains apply it, so a source only has to fail. Either way the outage is logged once when it starts and
 * once when it ends, and no answer given during it is cached.
 */
public enum FailurePolicy {
    /**
     * The default: CONNECT is refused with "server unavailable" (3.1.1 CONNACK 3, 5.0 reason 0x88) and an ACL check
     * is denied. An outage never lets anyone in.
     */
    DENY,
    /**
     * The source's answer counts as IGNORE: the next source decides, and when none does, {@code mqtt.allow_anonymous}
     * (CONNECT) or {@code mqtt.acl_nomatch} (ACL). For a backend that only adds to another one; with
     * {@code allow_anonymous = true} or {@code acl_nomatch = allow} it lets clients in during an outage.
     */
    IGNORE
}
