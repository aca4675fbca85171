package io.jemq.api;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One {@code password_hash} setting of an auth backend, as EMQ writes it: {@code plain}, {@code md5}, {@code sha},
 * {@code sha256}, {@code sha512}, {@code bcrypt}, {@code pbkdf2,<mac>,<iterations>,<dklen>}, and a salt before or
 * after a digest as {@code salt,sha256} / {@code sha256,salt} (EMQ 2.3) or {@code salt sha256} / {@code sha256 salt}
 * (EMQ 2.0, 2.1). Parsed by a plugin at config load, used by it per CONNECT on any thread (bcrypt and pbkdf2 are
 * slow: check them on {@link PluginContext#blockingExecutor()}, not on the event loop). Immutable and thread-safe.
 *
 * <p>Digests are compared as hex, in any case; every comparison takes the same time whatever the first differing
 * byte. bcrypt needs no salt column (the stored hash carries its salt); when one is given it must be that salt.
 */
public final class PasswordHash {
    /** How the salt goes into the digest. */
    public enum Salt { NONE, PREFIX, SUFFIX }

    private enum Kind { PLAIN, DIGEST, BCRYPT, PBKDF2 }

    private static final Map<String, String> DIGESTS = Map.of(
            "md5", "MD5", "sha", "SHA-1", "sha224", "SHA-224", "sha256", "SHA-256", "sha384", "SHA-384",
            "sha512", "SHA-512");
    private static final Map<String, String> MACS = Map.of(
            "md5", "HmacMD5", "sha", "HmacSHA1", "sha224", "HmacSHA224", "sha256", "HmacSHA256",
            "sha384", "HmacSHA384", "sha512", "HmacSHA512");
    private static final String EXPECTED = "plain, md5, sha, sha256, sha512, bcrypt, pbkdf2,<mac>,<iterations>,"
            + "<dklen>, or a salt before or after a digest such as salt,sha256";
    /** bcrypt itself reads 72 bytes; what is longer is cut there, as OpenBSD and EMQ's erlang-bcrypt do. */
    private static final BCrypt.Verifyer BCRYPT = BCrypt.verifyer(null, LongPasswordStrategies.truncate(
            BCrypt.Version.VERSION_2A));

    public static final PasswordHash PLAIN = new PasswordHash(Kind.PLAIN, null, Salt.NONE, 0, 0, "plain");

    private final Kind kind;
    private final String algorithm;      // a MessageDigest or Mac name
    private final Salt salt;
    private final int iterations;
    private final int keyLength;
    private final String spec;

    private PasswordHash(Kind kind, String algorithm, Salt salt, int iterations, int keyLength, String spec) {
        this.kind = kind;
        this.algorithm = algorithm;
        this.salt = salt;
        this.iterations = iterations;
        this.keyLength = keyLength;
        this.spec = spec;
    }

    /**
     * Reads a {@code password_hash} value in either spelling.
     *
     * @throws IllegalArgumentException naming what was expected
     */
    public static PasswordHash parse(String text) {
        String spec = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        List<String> parts = List.of(spec.split("\\s*[,\\s]\\s*"));
        if (parts.size() == 4 && parts.get(0).equals("pbkdf2")) {
            return pbkdf2(parts.get(1), integer(parts.get(2), text), integer(parts.get(3), text));
        }
        if (parts.size() == 1) {
            return single(parts.get(0), Salt.NONE, text);
        }
        if (parts.size() == 2 && parts.get(0).equals("salt") && !parts.get(1).equals("salt")) {
            return single(parts.get(1), Salt.PREFIX, text);
        }
        if (parts.size() == 2 && parts.get(1).equals("salt") && !parts.get(0).equals("salt")) {
            return single(parts.get(0), Salt.SUFFIX, text);
        }
        throw new IllegalArgumentException("expected " + EXPECTED + ", got \"" + text + "\"");
    }

    /** PBKDF2 with an HMAC of {@code mac} (md5, sha, sha224, sha256, sha384, sha512): EMQ 2.0's separate keys. */
    public static PasswordHash pbkdf2(String mac, int iterations, int keyLength) {
        String name = MACS.get(mac.toLowerCase(Locale.ROOT));
        if (name == null) {
            throw new IllegalArgumentException("pbkdf2: unsupported mac \"" + mac + "\", expected one of "
                    + String.join(", ", MACS.keySet().stream().sorted().toList()));
        }
        if (iterations < 1 || keyLength < 1 || keyLength > 1024) {
            throw new IllegalArgumentException("pbkdf2: expected at least 1 iteration and a dklen from 1 to 1024 bytes,"
                    + " got " + iterations + " and " + keyLength);
        }
        return new PasswordHash(Kind.PBKDF2, name, Salt.NONE, iterations, keyLength,
                "pbkdf2," + mac + "," + iterations + "," + keyLength);
    }

    private static PasswordHash single(String name, Salt salt, String text) {
        if (name.equals("plain")) {
            return salt == Salt.NONE ? PLAIN : new PasswordHash(Kind.PLAIN, null, salt, 0, 0, text.strip());
        }
        if (name.equals("bcrypt")) {
            return new PasswordHash(Kind.BCRYPT, null, Salt.NONE, 0, 0, "bcrypt");
        }
        if (name.equals("pbkdf2")) {
            throw new IllegalArgumentException("pbkdf2: expected its mac, iterations and key length, such as "
                    + "pbkdf2,sha256,1000,20; got \"" + text + "\"");
        }
        String digest = DIGESTS.get(name);
        if (digest == null) {
            throw new IllegalArgumentException("expected " + EXPECTED + ", got \"" + text + "\"");
        }
        String canonical = switch (salt) {
            case NONE -> name;
            case PREFIX -> "salt," + name;
            case SUFFIX -> name + ",salt";
        };
        return new PasswordHash(Kind.DIGEST, digest, salt, 0, 0, canonical);
    }

    private static int integer(String value, String text) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("pbkdf2: expected pbkdf2,<mac>,<iterations>,<dklen> with whole numbers,"
                    + " got \"" + text + "\"");
        }
    }

    /** Whether the stored value needs a salt column (salted digests and pbkdf2). */
    public boolean needsSalt() {
        return salt != Salt.NONE || kind == Kind.PBKDF2;
    }

    /**
     * Whether {@code password} is the one {@code stored} was made from.
     *
     * @param stored the stored hash (hex in any case, a bcrypt string, or the plain password)
     * @param salt   the salt column, or null when there is none
     */
    public boolean matches(byte[] password, String stored, String salt) {
        if (password == null || stored == null) {
            return false;
        }
        if (needsSalt() && salt == null) {
            return false;
        }
        return switch (kind) {
            case PLAIN -> MessageDigest.isEqual(salted(password, salt), stored.getBytes(StandardCharsets.UTF_8));
            case DIGEST, PBKDF2 -> MessageDigest.isEqual(hex(password, salt).getBytes(StandardCharsets.US_ASCII),
                    stored.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            case BCRYPT -> bcrypt(password, stored, salt);
        };
    }

    /** The stored form of {@code password}: lowercase hex for digests and pbkdf2, itself for plain. Not for bcrypt. */
    public String hash(byte[] password, String salt) {
        return switch (kind) {
            case PLAIN -> new String(salted(password, salt), StandardCharsets.UTF_8);
            case DIGEST, PBKDF2 -> hex(password, salt);
            case BCRYPT -> throw new UnsupportedOperationException("bcrypt hashes are made with a random salt: "
                    + "use bcrypt(password, cost)");
        };
    }

    /** A new bcrypt hash ({@code $2a$<cost>$...}) with a random salt. */
    public static String bcrypt(byte[] password, int cost) {
        return new String(BCrypt.with(BCrypt.Version.VERSION_2A, LongPasswordStrategies.truncate(
                BCrypt.Version.VERSION_2A)).hash(cost, password), StandardCharsets.US_ASCII);
    }

    private String hex(byte[] password, String saltText) {
        try {
            if (kind == Kind.PBKDF2) {
                return HexFormat.of().formatHex(pbkdf2(password, saltText.getBytes(StandardCharsets.UTF_8)));
            }
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(salted(password, saltText)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is missing from this JVM", e);
        }
    }

    private byte[] salted(byte[] password, String saltText) {
        if (salt == Salt.NONE) {
            return password;
        }
        byte[] s = saltText.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[s.length + password.length];
        if (salt == Salt.PREFIX) {
            System.arraycopy(s, 0, out, 0, s.length);
            System.arraycopy(password, 0, out, s.length, password.length);
        } else {
            System.arraycopy(password, 0, out, 0, password.length);
            System.arraycopy(s, 0, out, password.length, s.length);
        }
        return out;
    }

    /** RFC 8018 PBKDF2 over raw bytes (the JDK's own takes a char[] and so cannot hash arbitrary bytes). */
    private byte[] pbkdf2(byte[] password, byte[] saltBytes) throws GeneralSecurityException {
        Mac mac = Mac.getInstance(algorithm);
        // an HMAC key may be empty, but SecretKeySpec refuses one: one zero byte pads to the same HMAC block
        mac.init(new SecretKeySpec(password.length == 0 ? new byte[1] : password, algorithm));
        int hLen = mac.getMacLength();
        byte[] out = new byte[keyLength];
        byte[] u = new byte[hLen];
        byte[] t = new byte[hLen];
        for (int block = 1, offset = 0; offset < keyLength; block++, offset += hLen) {
            mac.update(saltBytes);
            mac.update(new byte[]{(byte) (block >>> 24), (byte) (block >>> 16), (byte) (block >>> 8), (byte) block});
            mac.doFinal(u, 0);
            System.arraycopy(u, 0, t, 0, hLen);
            for (int i = 1; i < iterations; i++) {
                mac.update(u);
                mac.doFinal(u, 0);
                for (int j = 0; j < hLen; j++) {
                    t[j] ^= u[j];
                }
            }
            System.arraycopy(t, 0, out, offset, Math.min(hLen, keyLength - offset));
        }
        return out;
    }

    private static boolean bcrypt(byte[] password, String stored, String salt) {
        // EMQ computes hashpw(Password, Salt) and compares it with the stored hash: the salt is the hash's first
        // 29 characters, so a salt column that is not that prefix can never match
        if (salt != null && !salt.isEmpty() && !stored.startsWith(salt)) {
            return false;
        }
        try {
            return BCRYPT.verify(password, stored.getBytes(StandardCharsets.UTF_8)).verified;
        } catch (IllegalArgumentException e) {
            return false;                                     // not a bcrypt hash at all
        }
    }

    @Override
    public String toString() {
        return spec;
    }
}
