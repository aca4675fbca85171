package io.jemq.transport;

import io.jemq.sys.ListenerCounter;
import io.jemq.sys.ListenerCounters;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxySSLTLV;
import io.netty.handler.codec.haproxy.HAProxyTLV;
import io.netty.util.NetUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code proxy_protocol = on}: every connection starts with a PROXY protocol v1 or v2 header from the load balancer
 * in front (decoded by Netty's HAProxyMessageDecoder just before this step). The client's address in it becomes the
 * connection's peer, and a v2 header's SSL CN (the balancer terminated TLS) stands for a client certificate's CN.
 * A connection whose header does not arrive within {@code proxy_protocol_timeout}, or is not a PROXY header, is
 * closed. Removes itself once the header is in.
 */
final class ProxyProtocol extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ProxyProtocol.class);

    private final long timeoutMillis;
    private final ListenerCounters counters;
    private ScheduledFuture<?> timeout;

    ProxyProtocol(long timeoutMillis, ListenerCounters counters) {
        this.timeoutMillis = timeoutMillis;
        this.counters = counters;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timeout = ctx.executor().schedule(() -> {
            counters.bump(ListenerCounter.PROXY_PROTOCOL_FAILURES);
            log.debug("closing {}: no PROXY protocol header within {} ms", ctx.channel().remoteAddress(),
                    timeoutMillis);
            ctx.close();
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HAProxyMessage header)) {
            ctx.fireChannelRead(msg);          // the decoder removed itself; what follows is the client's
            return;
        }
        try {
            if (header.command() == HAProxyCommand.PROXY && header.sourceAddress() != null) {
                TransportFacts facts = TransportFacts.of(ctx.channel());
                address(header).ifPresent(facts::setPeer);
                for (HAProxyTLV tlv : header.tlvs()) {
                    if (tlv instanceof HAProxySSLTLV ssl) {
                        sslCommonName(ssl).ifPresent(cn -> facts.setCertificate(cn, "CN=" + cn));
                    }
                }
            }
            // LOCAL (a balancer's health check) keeps the socket's own peer
        } finally {
            header.release();
        }
        cancelTimeout();
        ctx.pipeline().remove(this);
    }

    private static Optional<InetSocketAddress> address(HAProxyMessage header) {
        byte[] ip = NetUtil.createByteArrayFromIpAddressString(header.sourceAddress());
        if (ip == null) {
            return Optional.empty();          // AF_UNIX: no IP to report
        }
        try {
            return Optional.of(new InetSocketAddress(InetAddress.getByAddress(ip), header.sourcePort()));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> sslCommonName(HAProxySSLTLV ssl) {
        if (!ssl.isPP2ClientCertConn() && !ssl.isPP2ClientCertSess()) {
            return Optional.empty();
        }
        for (HAProxyTLV sub : ssl.encapsulatedTLVs()) {
            if (sub.type() == HAProxyTLV.Type.PP2_TYPE_SSL_CN) {
                return Optional.of(sub.content().toString(StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        counters.bump(ListenerCounter.PROXY_PROTOCOL_FAILURES);
        log.debug("closing {}: bad PROXY protocol header: {}", ctx.channel().remoteAddress(), cause.getMessage());
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimeout();
        ctx.fireChannelInactive();
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }
}
