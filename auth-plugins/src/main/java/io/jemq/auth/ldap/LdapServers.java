package io.jemq.auth.ldap;

import com.unboundid.ldap.sdk.FailoverServerSet;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.ServerSet;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.PEMFileKeyManager;
import com.unboundid.util.ssl.PEMFileTrustManager;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustAllTrustManager;
import io.jemq.api.Settings;

import javax.net.SocketFactory;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Where connections go: {@code auth.ldap.servers} in order (the first that answers; a connection made to a later one
 * is replaced after a minute so traffic returns to the first once it is back), over TLS when {@code auth.ldap.ssl} is
 * on, with {@code auth.ldap.timeout} for connecting and for every answer. Built once at load; a certificate file that
 * cannot be read fails the load naming its key. Thread-safe (UnboundID's server sets are).
 */
final class LdapServers {
    /** A connection to a server other than the first lives this long, then the first is tried again. */
    private static final long FAILOVER_CONNECTION_AGE_MILLIS = TimeUnit.MINUTES.toMillis(1);

    private LdapServers() {
    }

    static ServerSet of(LdapSettings settings, Settings conf) {
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        int timeout = (int) Math.min(Integer.MAX_VALUE, settings.timeout().toMillis());
        options.setConnectTimeoutMillis(timeout);
        options.setResponseTimeoutMillis(timeout);
        options.setAbandonOnTimeout(true);
        // one blocking call per pool thread: no reader thread per connection
        options.setUseSynchronousMode(true);
        String[] hosts = settings.servers().stream().map(LdapSettings.Server::host).toArray(String[]::new);
        int[] ports = settings.servers().stream().mapToInt(LdapSettings.Server::port).toArray();
        SocketFactory sockets = SocketFactory.getDefault();
        if (settings.tls().enabled()) {
            sockets = tlsSockets(settings.tls(), conf);
            if (settings.tls().verifyPeer()) {
                options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
            }
        }
        FailoverServerSet set = new FailoverServerSet(hosts, ports, sockets, options);
        set.setMaxFailoverConnectionAgeMillis(FAILOVER_CONNECTION_AGE_MILLIS);
        return set;
    }

    private static SocketFactory tlsSockets(LdapSettings.Tls tls, Settings conf) {
        TrustManager trust = tls.verifyPeer() ? tls.cacertfile().map(f -> trustFrom(f, conf)).orElse(null)
                : new TrustAllTrustManager();
        KeyManager keys = tls.certfile().map(cert -> keysFrom(cert, tls.keyfile().orElseThrow(), conf)).orElse(null);
        try {
            // no trust manager: the JVM's default trust store, as for any TLS client
            SSLUtil ssl = trust == null ? new SSLUtil(keys, defaultTrust()) : new SSLUtil(keys, trust);
            return ssl.createSSLSocketFactory();
        } catch (GeneralSecurityException e) {
            throw conf.invalid(LdapSettings.PREFIX + "ssl", "a TLS client this JVM can make (" + e.getMessage() + ")");
        }
    }

    private static TrustManager trustFrom(Path file, Settings conf) {
        try {
            readable(file, conf, "ssl.cacertfile");
            return new PEMFileTrustManager(file.toFile());
        } catch (GeneralSecurityException e) {
            throw conf.invalid(LdapSettings.PREFIX + "ssl.cacertfile", "a PEM file of CA certificates ("
                    + e.getMessage() + ")");
        }
    }

    private static KeyManager keysFrom(Path cert, Path key, Settings conf) {
        readable(cert, conf, "ssl.certfile");
        readable(key, conf, "ssl.keyfile");
        try {
            return new PEMFileKeyManager(cert.toFile(), key.toFile());
        } catch (GeneralSecurityException e) {
            throw conf.invalid(LdapSettings.PREFIX + "ssl.certfile", "a PEM certificate chain whose key is in "
                    + "auth.ldap.ssl.keyfile, unencrypted (" + e.getMessage() + ")");
        }
    }

    private static void readable(Path file, Settings conf, String name) {
        if (!Files.isReadable(file)) {
            throw conf.invalid(LdapSettings.PREFIX + name, "a readable file (" + file.toAbsolutePath() + ")");
        }
    }

    private static TrustManager defaultTrust() throws GeneralSecurityException {
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init((KeyStore) null);
        return Optional.ofNullable(f.getTrustManagers()).filter(t -> t.length > 0).map(t -> t[0])
                .orElseThrow(() -> new GeneralSecurityException("no default trust manager"));
    }
}
