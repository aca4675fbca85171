package io.jemq.mgmt.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The user and password of an {@code Authorization: Basic ...} header.
 *
 * @param username what is before the first colon
 * @param password what is after it (it may hold colons)
 */
public record BasicAuth(String username, String password) {

    /** The credentials, or empty when the header is absent, not Basic or not base64 of {@code user:password}. */
    public static Optional<BasicAuth> parse(String header) {
        if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? Optional.empty()
                : Optional.of(new BasicAuth(decoded.substring(0, colon), decoded.substring(colon + 1)));
    }
}
