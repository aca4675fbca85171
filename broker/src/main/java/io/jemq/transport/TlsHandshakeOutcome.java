package io.jemq.transport;

import io.jemq.sys.ListenerCounter;
import io.jemq.sys.ListenerCounters;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.security.auth.x500.X500Principal;
import java.nio.channels.ClosedChannelException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Sits behind the SslHandler and acts on how the handshake ended: a verified client certificate's common name and
 * subject go to the connection's {@link TransportFacts} (for {@code peer_cert_as_username}, {@code %C}, {@code %d});
 * a failed handshake is counted and logged in one line with the peer and the reason (its stack trace only at debug),
 * and its exception goes no further, so the MQTT connection never reports it as an internal error.
 */
final class TlsHandshakeOutcome extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(TlsHandshakeOutcome.class);

    private final String listenerId;
    private final ListenerCounters counters;
    private boolean handshaken;
    private boolean failed;

    TlsHandshakeOutcome(String listenerId, ListenerCounters counters) {
        this.listenerId = listenerId;
        this.counters = counters;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (done.isSuccess()) {
                handshaken = true;
                recordPeerCertificate(ctx);
            } else {
                onFailure(ctx, done.cause());
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (isTlsError(cause)) {
            if (handshaken) {
                log.debug("{}: TLS error with {}: {}", listenerId, ctx.channel().remoteAddress(), reason(cause));
                ctx.close();
            } else {
                onFailure(ctx, cause);    // SslHandler reports a failed handshake as an exception too
            }
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    private void onFailure(ChannelHandlerContext ctx, Throwable cause) {
        if (!failed) {
            failed = true;
            counters.bump(ListenerCounter.TLS_HANDSHAKE_FAILURES);
            if (peerWentAway(cause)) {
                // a port scan or a load balancer's health check: worth a count, not a line per probe
                log.debug("{}: {} closed the connection during the TLS handshake", listenerId,
                        ctx.channel().remoteAddress());
            } else {
                log.info("{}: TLS handshake with {} failed: {}", listenerId, ctx.channel().remoteAddress(),
                        reason(cause));
                log.debug("{}: TLS handshake failure details", listenerId, cause);
            }
        }
        ctx.close();
    }

    private void recordPeerCertificate(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        Certificate[] chain;
        try {
            chain = ssl.engine().getSession().getPeerCertificates();
        } catch (SSLPeerUnverifiedException noCertificate) {
            return;                                      // verify_none, or verify_peer without fail_if_no_peer_cert
        }
        if (chain.length > 0 && chain[0] instanceof X509Certificate x509) {
            X500Principal subject = x509.getSubjectX500Principal();
            String dn = subject.getName(X500Principal.RFC2253);
            TransportFacts.of(ctx.channel()).setCertificate(commonName(dn), dn);
        }
    }

    /** The most specific CN of an RFC 2253 name ({@code CN=device-7,O=Example} gives {@code device-7}), or null. */
    static String commonName(String rfc2253) {
        try {
            List<Rdn> rdns = new LdapName(rfc2253).getRdns();       // least specific first
            for (int i = rdns.size() - 1; i >= 0; i--) {
                if (rdns.get(i).getType().equalsIgnoreCase("CN")) {
                    return String.valueOf(rdns.get(i).getValue());
                }
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }

    private static boolean peerWentAway(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ClosedChannelException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTlsError(Throwable cause) {
        return cause instanceof SSLException
                || cause instanceof DecoderException && cause.getCause() instanceof SSLException;
    }

    /** The innermost message: "PKIX path building failed", "Empty client certificate chain", "handshake timed out". */
    private static String reason(Throwable cause) {
        Throwable t = cause;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return message == null ? t.getClass().getSimpleName() : message;
    }
}
