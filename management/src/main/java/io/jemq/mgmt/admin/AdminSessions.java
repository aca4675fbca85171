package io.jemq.mgmt.admin;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The dashboard's login sessions: a random id (the {@code jemq_session} cookie) to the admin who logged in, with a CSRF
 * token the page must send back in {@code X-Jemq-Csrf} on every call that changes something, and an expiry that moves
 * on with each use (idle timeout). A session ends as soon as its admin is deleted or gets another password (through
 * the API or {@code ctl admins}): it remembers the password hash it was opened under. Kept in memory: a restart logs
 * everyone out. Made by management's module, used by
 * its request handler (any listener's) and the dashboard's login routes, on the API's threads. Thread-safe.
 */
public final class AdminSessions {
    /** The cookie's name. */
    public static final String COOKIE = "jemq_session";
    /** The header a state-changing call must carry, holding the session's token. */
    public static final String CSRF_HEADER = "X-Jemq-Csrf";
    private static final int MAX_SESSIONS = 10_000;

    /** One session; {@code stamp} is the admin's password hash when it was opened. */
    public record Session(String id, String admin, String csrf, Instant expires, String stamp) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Duration idle;
    private final Clock clock;
    private final Function<String, Optional<String>> passwordHash;

    /** @param passwordHash an admin's current password hash; empty once the admin is deleted */
    public AdminSessions(Duration idle, Clock clock, Function<String, Optional<String>> passwordHash) {
        this.idle = idle;
        this.clock = clock;
        this.passwordHash = passwordHash;
    }

    /** How long a session lives without use. */
    public Duration idle() {
        return idle;
    }

    /** Opens a session for an admin whose password was checked. */
    public Session open(String admin) {
        if (sessions.size() >= MAX_SESSIONS) {
            dropExpired();
        }
        Session s = new Session(token(), admin, token(), clock.instant().plus(idle),
                passwordHash.apply(admin).orElse(""));
        sessions.put(s.id(), s);
        return s;
    }

    /** The live session of that id, its expiry moved on; empty when unknown or expired (it is dropped then). */
    public Optional<Session> touch(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session s = sessions.get(id);
        Instant now = clock.instant();
        if (s == null || !s.expires().isAfter(now) || !passwordHash.apply(s.admin()).orElse("-").equals(s.stamp())) {
            if (s != null) {
                sessions.remove(id, s);
            }
            return Optional.empty();
        }
        Session moved = new Session(s.id(), s.admin(), s.csrf(), now.plus(idle), s.stamp());
        sessions.replace(id, s, moved);
        return Optional.of(moved);
    }

    public void close(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    private void dropExpired() {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> !s.expires().isAfter(now));
    }

    private String token() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
