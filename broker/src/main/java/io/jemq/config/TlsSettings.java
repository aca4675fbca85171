package io.jemq.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The TLS part of an {@code ssl} or {@code wss} listener, with EMQ's key names.
 *
 * @param keyfile          {@code .keyfile}: the server's private key, PEM (PKCS#8, PKCS#1 or EC)
 * @param certfile         {@code .certfile}: the server's certificate chain, PEM
 * @param cacertfile       {@code .cacertfile}: CAs that client certificates must chain to; empty = the JDK's defaults
 * @param verifyPeer       {@code .verify = verify_peer}: ask clients for a certificate and check it
 * @param failIfNoPeerCert {@code .fail_if_no_peer_cert}: with verify_peer, refuse a client that sends none
 * @param versions         {@code .tls_versions}, as JSSE names ({@code TLSv1.3}, {@code TLSv1.2}, ...)
 * @param ciphers          {@code .ciphers} as written (OpenSSL or IANA names); empty = the provider's defaults
 * @param handshakeTimeout {@code .handshake_timeout}: a handshake not done by then closes the connection
 */
public record TlsSettings(
        Path keyfile,
        Path certfile,
        Optional<Path> cacertfile,
        boolean verifyPeer,
        boolean failIfNoPeerCert,
        List<String> versions,
        List<String> ciphers,
        Duration handshakeTimeout) {

    /** TLS 1.3 and 1.2: what jemq offers unless {@code tls_versions} says otherwise. */
    public static final List<String> DEFAULT_VERSIONS = List.of("TLSv1.3", "TLSv1.2");

    static final String EXPECTED_VERSIONS = "a comma-separated list of tlsv1.3, tlsv1.2, tlsv1.1 and tlsv1";

    public TlsSettings {
        versions = List.copyOf(versions);
        ciphers = List.copyOf(ciphers);
    }

    /** EMQ's {@code tlsv1.2,tlsv1.1} as JSSE names, or null when one of them is not a TLS version. */
    static List<String> parseVersions(String text) {
        List<String> out = new ArrayList<>();
        for (String v : text.split(",")) {
            String name = switch (v.trim().toLowerCase(Locale.ROOT)) {
                case "tlsv1.3" -> "TLSv1.3";
                case "tlsv1.2" -> "TLSv1.2";
                case "tlsv1.1" -> "TLSv1.1";
                case "tlsv1", "tlsv1.0" -> "TLSv1";
                default -> null;
            };
            if (name == null) {
                return null;
            }
            if (!out.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }

    /** Comma-separated names, blanks dropped; null when none is left. */
    static List<String> parseList(String text) {
        List<String> out = Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .toList();
        return out.isEmpty() ? null : out;
    }

    /**
     * The TLS keys of the listener {@code key} ({@code listener.ssl.external}, {@code listener.api.mgmt}...), with
     * EMQ's names and jemq's defaults; a bad value is an error naming file, line and key.
     */
    public static TlsSettings read(ConfFile file, String key) {
        String verify = file.parsed(key + ".verify", "verify_none", "verify_peer or verify_none",
                v -> v.equals("verify_peer") || v.equals("verify_none") ? v : null);
        return new TlsSettings(
                Path.of(file.parsed(key + ".keyfile", ListenerBlocks.DEFAULT_KEYFILE, "a file name",
                        TlsSettings::fileName)),
                Path.of(file.parsed(key + ".certfile", ListenerBlocks.DEFAULT_CERTFILE, "a file name",
                        TlsSettings::fileName)),
                Optional.ofNullable(file.parsed(key + ".cacertfile", null, "a file name", TlsSettings::fileName))
                        .map(Path::of),
                verify.equals("verify_peer"),
                file.bool(key + ".fail_if_no_peer_cert", false),
                file.parsed(key + ".tls_versions", TlsSettings.DEFAULT_VERSIONS, TlsSettings.EXPECTED_VERSIONS,
                        TlsSettings::parseVersions),
                file.parsed(key + ".ciphers", List.of(), "comma-separated cipher suite names",
                        TlsSettings::parseList),
                file.duration(key + ".handshake_timeout", "15s", Duration.ofMillis(1), null));
    }

    static String fileName(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            Path.of(text.trim());               // a NUL, say, is no file name: an error naming the line, not a crash
        } catch (InvalidPathException e) {
            return null;
        }
        return text.trim();
    }
}
