package io.jemq.auth.servers;

import org.awaitility.Awaitility;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away OpenLDAP server (the Debian {@code slapd} package) for one test class: a {@code slapd.conf} and an MDB
 * database in a temporary folder, loaded with {@code slapadd} from the base tree below plus the test's LDIF, listening
 * on a free loopback port (and on a second one with {@code ldaps} when given a certificate). It runs in the foreground
 * with {@code -d stats}, so {@link #log()} shows what the server received (each {@code BIND dn=...} and
 * {@code SRCH ... filter=...}). {@link #stop()} and {@link #start()} stop and start it again on the same ports with the
 * same data (an outage); {@link #close()} stops it and deletes the folder. It runs as the user running the tests
 * (slapd accepts root). Not thread-safe: drive it from the test's thread.
 *
 * <p>The base tree, suffix {@value #SUFFIX}: {@code ou=People} (the user guide's {@code uid=%u,ou=People,...}),
 * {@code ou=auth} (EMQ 2.3's {@code cn=%u,ou=auth,...} entries of object class {@code mqttUser}, whose
 * {@code username} and {@code password} attributes come from a schema written here), and the service account
 * {@value #READER_DN} (password {@value #READER_PASSWORD}), which may read passwords; anonymous clients may only bind.
 */
public final class SlapdServer implements AutoCloseable {
    public static final String SUFFIX = "dc=example,dc=com";
    public static final String ROOT_DN = "cn=admin," + SUFFIX;
    public static final String ROOT_PASSWORD = "secret";
    public static final String READER_DN = "cn=reader," + SUFFIX;
    public static final String READER_PASSWORD = "reader-secret";

    private static final String SCHEMA = """
            attributetype ( 1.3.6.1.4.1.55555.7.1.1 NAME 'username'
                EQUALITY caseIgnoreIA5Match SUBSTR caseIgnoreIA5SubstringsMatch
                SYNTAX 1.3.6.1.4.1.1466.115.121.1.26 SINGLE-VALUE )
            attributetype ( 1.3.6.1.4.1.55555.7.1.2 NAME 'password'
                EQUALITY octetStringMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.40 )
            objectclass ( 1.3.6.1.4.1.55555.7.2.1 NAME 'mqttUser' SUP top STRUCTURAL
                MUST ( cn $ username $ password ) MAY ( description ) )
            """;

    private static final String BASE_TREE = """
            dn: %1$s
            objectClass: dcObject
            objectClass: organization
            dc: example
            o: Example

            dn: ou=People,%1$s
            objectClass: organizationalUnit
            ou: People

            dn: ou=auth,%1$s
            objectClass: organizationalUnit
            ou: auth

            dn: %2$s
            objectClass: organizationalRole
            objectClass: simpleSecurityObject
            cn: reader
            userPassword: %3$s

            """;

    private final Path dir;
    private final int port;
    private final int tlsPort;
    private Process process;

    private SlapdServer(Path dir, int port, int tlsPort) {
        this.dir = dir;
        this.port = port;
        this.tlsPort = tlsPort;
    }

    /**
     * Starts a server with the base tree and {@code ldif} (entries below it, blank-line separated).
     *
     * @param tlsCert a PEM certificate for ldaps (GnuTLS, slapd's TLS library, reads the test kit's
     *                {@code TestPki.rsaServerWithPkcs1Key()}), or null for none
     * @param tlsKey  its key, PEM
     */
    public static SlapdServer start(String ldif, Path tlsCert, Path tlsKey) {
        Path dir;
        try {
            dir = Files.createTempDirectory("jemq-slapd");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SlapdServer server = new SlapdServer(dir, freePort(), tlsCert == null ? -1 : freePort());
        try {
            server.configure(ldif, tlsCert, tlsKey);
            server.start();
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** Without TLS. */
    public static SlapdServer start(String ldif) {
        return start(ldif, null, null);
    }

    private void configure(String ldif, Path tlsCert, Path tlsKey) {
        try {
            Files.createDirectories(dir.resolve("db"));
            Files.writeString(dir.resolve("mqtt.schema"), SCHEMA);
            StringBuilder conf = new StringBuilder();
            for (String schema : List.of("core", "cosine", "inetorgperson", "nis")) {
                conf.append("include /etc/ldap/schema/").append(schema).append(".schema\n");
            }
            conf.append("include ").append(dir.resolve("mqtt.schema")).append('\n')
                    .append("modulepath /usr/lib/ldap\nmoduleload back_mdb\n")
                    .append("pidfile ").append(dir.resolve("slapd.pid")).append('\n');
            if (tlsCert != null) {
                conf.append("TLSCertificateFile ").append(tlsCert.toAbsolutePath()).append('\n')
                        .append("TLSCertificateKeyFile ").append(tlsKey.toAbsolutePath()).append('\n');
            }
            conf.append("database mdb\nsuffix \"").append(SUFFIX).append("\"\n")
                    .append("rootdn \"").append(ROOT_DN).append("\"\nrootpw ").append(ROOT_PASSWORD).append('\n')
                    .append("directory ").append(dir.resolve("db")).append("\nmaxsize 33554432\n")
                    .append("access to attrs=userPassword,password by self read by dn.exact=\"").append(READER_DN)
                    .append("\" read by anonymous auth by * none\n")
                    .append("access to * by * read\n");
            Files.writeString(dir.resolve("slapd.conf"), conf.toString());
            Files.writeString(dir.resolve("data.ldif"), BASE_TREE.formatted(SUFFIX, READER_DN,
                    hash("{SSHA}", READER_PASSWORD)) + ldif.strip() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run(List.of("slapadd", "-f", dir.resolve("slapd.conf").toString(), "-l", dir.resolve("data.ldif").toString()));
    }

    /** Starts the server (again) on its ports, with the data it had; returns once it accepts connections. */
    public void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        String urls = "ldap://127.0.0.1:" + port + "/" + (tlsPort > 0 ? " ldaps://127.0.0.1:" + tlsPort + "/" : "");
        try {
            Files.deleteIfExists(dir.resolve("slapd.log"));
            process = new ProcessBuilder("slapd", "-f", dir.resolve("slapd.conf").toString(), "-h", urls,
                    "-d", "stats").redirectErrorStream(true).redirectOutput(dir.resolve("slapd.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run slapd (Debian package slapd)", e);
        }
        Awaitility.await("slapd to start").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("slapd exited with " + process.exitValue() + ":\n"
                                + String.join("\n", log()));
                    }
                    return log().stream().anyMatch(l -> l.contains("slapd starting"));
                });
    }

    /** Stops the server (SIGTERM) and waits until it has exited; its data and ports stay for {@link #start()}. */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    public int port() {
        return port;
    }

    /** The ldaps port; -1 without TLS. */
    public int tlsPort() {
        return tlsPort;
    }

    /** What slapd logged since it last started ({@code -d stats}: connections, binds, searches and results). */
    public List<String> log() {
        Path file = dir.resolve("slapd.log");
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.ISO_8859_1) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code userPassword} in a scheme OpenLDAP makes itself ({@code {SSHA}}, {@code {SHA}}, {@code {MD5}},
     * {@code {CRYPT}}, and with its pw-sha2 module {@code {SSHA256}}, {@code {SHA512}}...).
     */
    public static String hash(String scheme, String password) {
        return run(List.of("slappasswd", "-o", "module-path=/usr/lib/ldap", "-o", "module-load=pw-sha2", "-h", scheme,
                "-s", password)).strip();
    }

    /** A port that was free a moment ago (bound to 0 and closed): a server of the test's takes it next. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0) + " (Debian packages slapd, ldap-utils)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    /** One LDIF entry, blank line included: {@code entry("uid=a,ou=People,...", "objectClass: ...", "uid: a")}. */
    public static String entry(String dn, String... attributeLines) {
        List<String> lines = new ArrayList<>();
        lines.add("dn: " + dn);
        lines.addAll(List.of(attributeLines));
        return String.join("\n", lines) + "\n\n";
    }
}
