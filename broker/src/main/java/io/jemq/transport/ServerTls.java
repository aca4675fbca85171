package io.jemq.transport;

import io.jemq.config.TlsSettings;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.CipherSuiteConverter;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

/**
 * A listener's TLS server side, built once from its settings: OpenSSL (BoringSSL, through netty-tcnative) when it
 * loads, the JDK's engine otherwise. {@code verify_peer} with {@code fail_if_no_peer_cert} requires a client
 * certificate, {@code verify_peer} alone asks for one, {@code verify_none} never asks.
 */
final class ServerTls {
    /**
     * SHA-256 of the development certificate shipped in {@code etc/certs/cert.pem}: anyone has its private key, so
     * a listener serving it says so at start.
     */
    static final String DEVELOPMENT_CERT_SHA256 = "74705bc272ef357c071d5bf60dccc381c951cc4bb1725578d701183caeef8ee8";

    private final SslContext context;
    private final long handshakeTimeoutMillis;
    private final boolean developmentCertificate;

    private ServerTls(SslContext context, long handshakeTimeoutMillis, boolean developmentCertificate) {
        this.context = context;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        this.developmentCertificate = developmentCertificate;
    }

    /** @throws IllegalArgumentException naming the file or setting that is wrong */
    static ServerTls of(String listenerKey, TlsSettings s) {
        requireReadable(listenerKey + ".keyfile", s.keyfile());
        requireReadable(listenerKey + ".certfile", s.certfile());
        s.cacertfile().ifPresent(ca -> requireReadable(listenerKey + ".cacertfile", ca));
        SslProvider provider = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        try {
            SslContextBuilder b = SslContextBuilder.forServer(s.certfile().toFile(), s.keyfile().toFile())
                    .sslProvider(provider)
                    .protocols(s.versions())
                    .clientAuth(!s.verifyPeer() ? ClientAuth.NONE
                            : s.failIfNoPeerCert() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
            if (s.verifyPeer() && s.cacertfile().isPresent()) {
                b.trustManager(s.cacertfile().get().toFile());
            }
            if (!s.ciphers().isEmpty()) {
                b.ciphers(provider == SslProvider.JDK ? javaNames(s.ciphers()) : s.ciphers());
            }
            SslContext context = b.build();
            tryAnEngine(context);
            return new ServerTls(context, s.handshakeTimeout().toMillis(), isDevelopment(s.certfile()));
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException(listenerKey + ": cannot set up TLS with " + s.certfile() + " and "
                    + s.keyfile() + ": " + rootMessage(e), e);
        }
    }

    /**
     * Versions and ciphers are applied to each engine, so one the provider does not know would fail every
     * connection; making one engine now makes it fail the start instead, with the provider's reason.
     */
    private static void tryAnEngine(SslContext context) {
        SSLEngine engine = context.newEngine(ByteBufAllocator.DEFAULT);
        ReferenceCountUtil.release(engine);
    }

    /** A new engine for one connection, with the listener's handshake timeout. */
    SslHandler newHandler(ByteBufAllocator alloc) {
        SslHandler h = context.newHandler(alloc);
        h.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
        return h;
    }

    boolean usesDevelopmentCertificate() {
        return developmentCertificate;
    }

    /** EMQ's files name ciphers the OpenSSL way (ECDHE-RSA-AES256-GCM-SHA384); the JDK wants IANA names. */
    private static List<String> javaNames(List<String> ciphers) {
        List<String> out = new ArrayList<>();
        for (String c : ciphers) {
            String java = c.startsWith("TLS_") || c.startsWith("SSL_") ? c : CipherSuiteConverter.toJava(c, "TLS");
            out.add(java == null ? c : java);
        }
        return out;
    }

    private static boolean isDevelopment(Path certfile) {
        try (InputStream in = Files.newInputStream(certfile)) {
            Collection<? extends Certificate> chain = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (chain.isEmpty()) {
                return false;
            }
            byte[] der = chain.iterator().next().getEncoded();
            String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
            return sha256.equals(DEVELOPMENT_CERT_SHA256);
        } catch (IOException | GeneralSecurityException e) {
            return false;                  // the SslContext has read it already; nothing more to say here
        }
    }

    private static void requireReadable(String key, Path file) {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(key + ": cannot read " + file.toAbsolutePath()
                    + (Files.exists(file) ? " (permission denied)" : " (no such file)"));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
