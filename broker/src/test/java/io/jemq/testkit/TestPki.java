package io.jemq.testkit;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Certificates made at test time in a folder of the test's: a CA, a server certificate for 127.0.0.1 and
 * localhost that it signed, and client certificates on demand, as PEM files (what the broker reads) and as JSSE key
 * and trust managers (what the Java clients use).
 */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    public final Path dir;
    public final Issued ca;
    public final Issued server;

    /** A key pair with its certificate, and the PEM files they were written to. */
    public record Issued(KeyPair keys, X509Certificate cert, Path keyFile, Path certFile) {
    }

    public TestPki(Path dir, String name) {
        this.dir = dir;
        this.ca = issue(name + "-ca", "CN=" + name + " test CA,O=jemq tests", null, true, false, "EC");
        this.server = issue(name + "-server", "CN=localhost,O=jemq tests", ca, false, true, "EC");
    }

    /** A client certificate signed by this CA; the subject in X.500 order, e.g. {@code "O=Acme,CN=device-7"}. */
    public Issued client(String fileName, String subject) {
        return issue(fileName, subject, ca, false, false, "EC");
    }

    /** A server certificate whose key file is PKCS#1 ({@code BEGIN RSA PRIVATE KEY}), as EMQ ships them. */
    public Issued rsaServerWithPkcs1Key() {
        return issue("rsa-server", "CN=localhost,O=jemq tests", ca, false, true, "RSA");
    }

    private Issued issue(String fileName, String subject, Issued issuer, boolean isCa, boolean isServer,
                         String algorithm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            generator.initialize(algorithm.equals("EC") ? 256 : 2048);
            KeyPair keys = generator.generateKeyPair();
            Instant now = Instant.now();
            X500Name name = new X500Name(subject);
            BigInteger serial = BigInteger.valueOf(SERIAL.incrementAndGet());
            Date from = Date.from(now.minus(Duration.ofHours(1)));
            Date to = Date.from(now.plus(Duration.ofDays(2)));
            X509v3CertificateBuilder b = issuer == null
                    ? new JcaX509v3CertificateBuilder(name, serial, from, to, name, keys.getPublic())
                    : new JcaX509v3CertificateBuilder(issuer.cert, serial, from, to, name, keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            if (isServer) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                        new GeneralName(GeneralName.dNSName, "localhost")}));
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            } else if (!isCa) {
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            }
            PrivateKey signingKey = issuer == null ? keys.getPrivate() : issuer.keys.getPrivate();
            String signature = signingKey.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder(signature).build(signingKey)));
            Path keyFile = dir.resolve(fileName + ".key");
            Path certFile = dir.resolve(fileName + ".pem");
            // PKCS#8 for EC keys; RSA keys in the traditional PKCS#1 form that EMQ's shipped certificates use
            Files.writeString(keyFile, pem(algorithm.equals("RSA") ? keys.getPrivate()
                    : new JcaPKCS8Generator(keys.getPrivate(), null)));
            Files.writeString(certFile, pem(cert));
            return new Issued(keys, cert, keyFile, certFile);
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(Object o) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Trusts this CA only. */
    public TrustManagerFactory trust() {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("ca", ca.cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return tmf;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Presents {@code client} with its chain. */
    public KeyManagerFactory keys(Issued client) {
        try {
            char[] password = "test".toCharArray();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("client", client.keys.getPrivate(), password, new Certificate[]{client.cert, ca.cert});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            return kmf;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JSSE context trusting this CA, presenting {@code client} when not null (for Paho and raw sockets). */
    public SSLContext sslContext(Issued client) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(client == null ? null : keys(client).getKeyManagers(), trust().getTrustManagers(),
                    new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
