package io.jemq.mgmt.admin;

import com.fasterxml.jackson.core.type.TypeReference;
import io.jemq.api.PasswordHash;
import io.jemq.mgmt.http.Json;
import io.jemq.util.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The admins of the HTTP API (EMQ's dashboard users), kept in {@code <node.data_dir>/admins.json} with bcrypt hashes,
 * rewritten whole and atomically on each change (readable by the broker's user only). Until the file exists there is
 * the shipped admin, {@code admin} with password {@code public}, which must be changed: {@link #defaultPasswordInUse}.
 *
 * <p>Threads: changes come from the API's threads and the control socket's, serialized here; checks from the API's
 * threads. A bcrypt check takes tens of milliseconds, so a password that checked once is remembered (as its SHA-256,
 * in memory) until that admin changes.
 */
public final class AdminStore {
    public static final String DEFAULT_USER = "admin";
    public static final String DEFAULT_PASSWORD = "public";
    public static final String FILE_NAME = "admins.json";
    private static final PasswordHash BCRYPT = PasswordHash.parse("bcrypt");
    private static final int COST = 10;

    private final Path file;
    private volatile Map<String, Admin> admins;
    private volatile boolean defaultPassword;
    private final Map<String, byte[]> checked = new ConcurrentHashMap<>();

    /** @throws UncheckedIOException when the file exists but cannot be read */
    public AdminStore(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
        load();
    }

    private void load() {
        if (!Files.exists(file)) {
            admins = Map.of(DEFAULT_USER, new Admin(DEFAULT_USER, null, "administrator"));
            defaultPassword = true;
            return;
        }
        try {
            List<Admin> list = Json.MAPPER.readValue(Files.readAllBytes(file), new TypeReference<List<Admin>>() { });
            Map<String, Admin> m = new TreeMap<>();
            list.forEach(a -> m.put(a.username(), a));
            admins = Map.copyOf(m);
            Admin admin = m.get(DEFAULT_USER);
            defaultPassword = admin != null && matches(admin, DEFAULT_PASSWORD);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the admins file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code admin} still has the shipped password {@code public}. */
    public boolean defaultPasswordInUse() {
        return defaultPassword;
    }

    /** Every admin, by name. */
    public List<Admin> list() {
        return new ArrayList<>(new TreeMap<>(admins).values());
    }

    public Optional<Admin> get(String username) {
        return Optional.ofNullable(admins.get(username));
    }

    /** Whether these are an admin's name and password. */
    public boolean check(String username, String password) {
        Admin a = admins.get(username);
        if (a == null) {
            return false;
        }
        byte[] digest = sha256(username + '\0' + password);
        byte[] known = checked.get(username);
        if (known != null && MessageDigest.isEqual(known, digest)) {
            return true;
        }
        if (!matches(a, password)) {
            return false;
        }
        checked.put(username, digest);
        return true;
    }

    /** @return false when the name is taken */
    public synchronized boolean add(String username, String password, String tags) {
        if (admins.containsKey(username)) {
            return false;
        }
        save(with(new Admin(username, hash(password), tags == null ? "" : tags)));
        return true;
    }

    /** @return false when there is no such admin */
    public synchronized boolean updateTags(String username, String tags) {
        Admin a = admins.get(username);
        if (a == null) {
            return false;
        }
        save(with(new Admin(username, stored(a).passwordHash(), tags)));
        return true;
    }

    /** Sets a password without asking for the old one (the ctl command, run by the broker's operator). */
    public synchronized boolean setPassword(String username, String password) {
        Admin a = admins.get(username);
        if (a == null) {
            return false;
        }
        save(with(new Admin(username, hash(password), a.tags())));
        return true;
    }

    /** @return false when there is no such admin; {@code admin} itself cannot be deleted */
    public synchronized boolean remove(String username) {
        if (DEFAULT_USER.equals(username)) {
            throw new IllegalArgumentException("the admin user cannot be deleted");
        }
        if (!admins.containsKey(username)) {
            return false;
        }
        Map<String, Admin> m = new TreeMap<>(admins);
        m.remove(username);
        save(m);
        return true;
    }

    private Map<String, Admin> with(Admin a) {
        Map<String, Admin> m = new TreeMap<>(admins);
        m.put(a.username(), a);
        return m;
    }

    /** The shipped admin's hash is made when the file is first written. */
    private static Admin stored(Admin a) {
        return a.passwordHash() != null ? a : new Admin(a.username(), hash(DEFAULT_PASSWORD), a.tags());
    }

    private void save(Map<String, Admin> changed) {
        List<Admin> list = changed.values().stream().map(AdminStore::stored).toList();
        try {
            AtomicFiles.write(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(list), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the admins file " + file + ": " + e.getMessage(), e);
        }
        Map<String, Admin> m = new TreeMap<>();
        list.forEach(a -> m.put(a.username(), a));
        admins = Map.copyOf(m);
        checked.clear();
        Admin admin = m.get(DEFAULT_USER);
        defaultPassword = admin != null && matches(admin, DEFAULT_PASSWORD);
    }

    private static boolean matches(Admin a, String password) {
        if (a.passwordHash() == null) {
            return MessageDigest.isEqual(password.getBytes(StandardCharsets.UTF_8),
                    DEFAULT_PASSWORD.getBytes(StandardCharsets.UTF_8));
        }
        return BCRYPT.matches(password.getBytes(StandardCharsets.UTF_8), a.passwordHash(), null);
    }

    private static String hash(String password) {
        return PasswordHash.bcrypt(password.getBytes(StandardCharsets.UTF_8), COST);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
