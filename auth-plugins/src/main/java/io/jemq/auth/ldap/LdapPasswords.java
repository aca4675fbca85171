package io.jemq.auth.ldap;

import io.jemq.api.PasswordHash;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * Checks a CONNECT's password against a password attribute read from an entry (search design). A value in the RFC 2307
 * form {@code {SCHEME}...} is checked by its scheme, as the directory itself would at a bind: {@code {SSHA}},
 * {@code {SHA}}, {@code {SMD5}}, {@code {MD5}}, {@code {SSHA256}}, {@code {SHA256}}, {@code {SSHA384}},
 * {@code {SHA384}}, {@code {SSHA512}}, {@code {SHA512}} (base64 of the digest, then the salt),
 * {@code {CLEARTEXT}}, and {@code {CRYPT}} with a bcrypt hash. Any other value is what EMQ 2.3 compared: the
 * {@code password_hash} of the password (hex digests, or plain). Stateless; comparisons take the same time whatever the
 * first differing byte. Called on the plugin's executor.
 */
final class LdapPasswords {
    private static final Map<String, String> DIGESTS = Map.of("SHA", "SHA-1", "MD5", "MD5", "SHA256", "SHA-256",
            "SHA384", "SHA-384", "SHA512", "SHA-512");
    private static final PasswordHash BCRYPT = PasswordHash.parse("bcrypt");

    /** A stored value whose scheme jemq cannot check: the user is known, so this is a DENY with a reason. */
    static final class UnsupportedScheme extends Exception {
        UnsupportedScheme(String scheme) {
            super("password scheme {" + scheme + "} is not supported (use {SSHA}, {SHA}, {SSHA256}, ..., "
                    + "{CLEARTEXT}, {CRYPT}$2a$..., or a password_hash value)", null, false, false);
        }
    }

    private LdapPasswords() {
    }

    /**
     * @param password the CONNECT's password, not empty
     * @param stored   one value of the password attribute
     * @param hash     {@code auth.ldap.password_hash}, for values without a {@code {SCHEME}}
     */
    static boolean matches(byte[] password, byte[] stored, PasswordHash hash) throws UnsupportedScheme {
        String text = new String(stored, StandardCharsets.UTF_8);
        int close = text.indexOf('}');
        if (!text.startsWith("{") || close < 2) {
            return hash.matches(password, text, null);
        }
        String scheme = text.substring(1, close).toUpperCase(Locale.ROOT);
        String value = text.substring(close + 1);
        if (scheme.equals("CLEARTEXT")) {
            return MessageDigest.isEqual(password, Arrays.copyOfRange(stored, close + 1, stored.length));
        }
        if (scheme.equals("CRYPT") && value.startsWith("$2")) {
            return BCRYPT.matches(password, value, null);
        }
        boolean salted = scheme.startsWith("S") && DIGESTS.containsKey(scheme.substring(1));
        String algorithm = DIGESTS.get(salted ? scheme.substring(1) : scheme);
        if (algorithm == null) {
            throw new UnsupportedScheme(scheme);
        }
        return digestMatches(password, value, algorithm, salted);
    }

    private static boolean digestMatches(byte[] password, String base64, String algorithm, boolean salted) {
        byte[] decoded;
        try {
            decoded = Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return false;                                        // not a hash of anything
        }
        try {
            MessageDigest md = MessageDigest.getInstance(algorithm);
            int length = md.getDigestLength();
            if (decoded.length < length || (!salted && decoded.length != length)) {
                return false;
            }
            md.update(password);
            md.update(decoded, length, decoded.length - length);    // the salt follows the digest
            return MessageDigest.isEqual(md.digest(), Arrays.copyOf(decoded, length));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JVM", e);
        }
    }
}
