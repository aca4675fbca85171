package io.jemq.plugin.local;

import io.jemq.api.PasswordHash;
import io.jemq.api.ConfigException;
import io.jemq.util.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Names (usernames or client ids) with their password hashes, kept in one small file under {@code data/}: never
 * the password itself, but a salted SHA-256 or a bcrypt hash. The file is rewritten whole and atomically on each
 * change (readable by the broker's user only), so a crash leaves the old or the new content. Lookups are lock-free;
 * changes are serialized.
 *
 * <p>File format, one entry a line: the name as hex of its UTF-8 bytes (any name fits), the hash kind
 * ({@code salt,sha256} or {@code bcrypt}), the salt ({@code -} for bcrypt) and the hash.
 */
public final class CredentialStore {
    /** How new passwords are hashed. */
    public enum Scheme { SHA256, BCRYPT }

    /** One stored entry. */
    record Entry(PasswordHash hash, String salt, String stored) {
        boolean matches(byte[] password) {
            return hash.matches(password, stored, salt);
        }

        boolean slow() {
            return stored.startsWith("$2");
        }
    }

    private static final PasswordHash SALTED_SHA256 = PasswordHash.parse("salt,sha256");
    private static final PasswordHash BCRYPT = PasswordHash.parse("bcrypt");
    private static final int BCRYPT_COST = 10;

    private final Path file;
    private final Scheme scheme;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** @throws ConfigException when the file exists but cannot be read */
    public CredentialStore(Path file, Scheme scheme) {
        this.file = file;
        this.scheme = scheme;
        load();
    }

    private void load() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(" ");
            try {
                if (f.length != 4) {
                    throw new IllegalArgumentException("expected 4 fields");
                }
                String name = new String(HexFormat.of().parseHex(f[0]), StandardCharsets.UTF_8);
                entries.put(name, new Entry(PasswordHash.parse(f[1]), f[2].equals("-") ? null : f[2], f[3]));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(file + ":" + (i + 1) + ": damaged entry (" + e.getMessage() + ")");
            }
        }
    }

    Entry find(String name) {
        return name == null ? null : entries.get(name);
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    public List<String> names() {
        List<String> names = new ArrayList<>(entries.keySet());
        names.sort(null);
        return names;
    }

    /** Adds or replaces an entry. @throws IOException when it could not be saved; then nothing changed */
    public synchronized void put(String name, byte[] password) throws IOException {
        Entry previous = entries.put(name, hash(password));
        try {
            save();
        } catch (IOException e) {
            if (previous == null) {
                entries.remove(name);
            } else {
                entries.put(name, previous);
            }
            throw e;
        }
    }

    /** @return false when there was no such entry */
    public synchronized boolean remove(String name) throws IOException {
        Entry previous = entries.remove(name);
        if (previous == null) {
            return false;
        }
        try {
            save();
        } catch (IOException e) {
            entries.put(name, previous);
            throw e;
        }
        return true;
    }

    private Entry hash(byte[] password) {
        if (scheme == Scheme.BCRYPT) {
            return new Entry(BCRYPT, null, PasswordHash.bcrypt(password, BCRYPT_COST));
        }
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        String saltHex = HexFormat.of().formatHex(salt);
        return new Entry(SALTED_SHA256, saltHex, SALTED_SHA256.hash(password, saltHex));
    }

    private void save() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String name : names()) {
            Entry e = entries.get(name);
            sb.append(HexFormat.of().formatHex(name.getBytes(StandardCharsets.UTF_8))).append(' ')
                    .append(e.hash()).append(' ').append(e.salt() == null ? "-" : e.salt()).append(' ')
                    .append(e.stored()).append('\n');
        }
        AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8), true);
    }
}
