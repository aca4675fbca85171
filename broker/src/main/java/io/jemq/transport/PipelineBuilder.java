package io.jemq.transport;

import io.jemq.config.AccessRule;
import io.jemq.config.ListenerSettings;
import io.jemq.config.MqttSettings;
import io.jemq.sys.Counter;
import io.jemq.sys.Counters;
import io.jemq.sys.ListenerCounter;
import io.jemq.sys.ListenerCounters;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;

import static io.jemq.transport.HandlerNames.HTTP_AGGREGATOR;
import static io.jemq.transport.HandlerNames.HTTP_CODEC;
import static io.jemq.transport.HandlerNames.PROXY;
import static io.jemq.transport.HandlerNames.PROXY_DECODER;
import static io.jemq.transport.HandlerNames.RATE_LIMIT;
import static io.jemq.transport.HandlerNames.SEND_TIMEOUT;
import static io.jemq.transport.HandlerNames.TLS;
import static io.jemq.transport.HandlerNames.TLS_OUTCOME;
import static io.jemq.transport.HandlerNames.TRAFFIC;
import static io.jemq.transport.HandlerNames.WS_UPGRADE;

/**
 * Builds one listener's connection pipelines: the socket-level steps every listener has, then the fronts its
 * protocol and options ask for (PROXY header, TLS, WebSocket upgrade), then the MQTT steps ({@link MqttSteps}, given
 * by the Broker), which see a plain byte stream whatever came before them. A peer that an {@code access} rule denies
 * gets no pipeline at all.
 */
final class PipelineBuilder extends ChannelInitializer<Channel> {
    private static final Logger log = LoggerFactory.getLogger(PipelineBuilder.class);

    /** An HTTP upgrade request is headers only; anything longer is not a WebSocket client. */
    private static final int MAX_UPGRADE_REQUEST = 8192;

    private final ListenerSettings listener;
    private final ServerTls tls;                 // null for tcp and ws
    private final MqttSteps mqttSteps;
    private final MqttSettings mqtt;
    private final Counters counters;
    private final ConnectionLimiter limiter;
    private final TrafficCounter traffic;
    private final ListenerCounters listenerCounters;

    PipelineBuilder(ListenerSettings listener, ServerTls tls, MqttSteps mqttSteps, MqttSettings mqtt,
                    Counters counters, ConnectionLimiter limiter, TrafficCounter traffic,
                    ListenerCounters listenerCounters) {
        this.listener = listener;
        this.tls = tls;
        this.mqttSteps = mqttSteps;
        this.mqtt = mqtt;
        this.counters = counters;
        this.limiter = limiter;
        this.traffic = traffic;
        this.listenerCounters = listenerCounters;
    }

    @Override
    protected void initChannel(Channel ch) {
        InetSocketAddress peer = (InetSocketAddress) ch.remoteAddress();
        if (peer != null && !AccessRule.allows(listener.access(), peer.getAddress())) {
            listenerCounters.bump(ListenerCounter.DENIED_BY_ACCESS);
            counters.bump(Counter.CONNECTIONS_REFUSED);
            log.debug("{}: {} denied by the listener's access rules", listener.id(), peer);
            ch.close();                          // before any step is added: nothing counts it, nothing reads
            return;
        }
        if (!limiter.admit(ch)) {
            return;                              // max_clients: closed before any step is added
        }
        new TransportFacts(listener.mountpoint(), listener.peerCertAsUsername(), listener.peerCertAsClientid())
                .attachTo(ch);
        ChannelPipeline p = ch.pipeline();
        p.addLast(TRAFFIC, traffic);                                   // shared: bytes as on the wire
        listener.rateLimit().ifPresent(r -> p.addLast(RATE_LIMIT, new RateLimiter(r)));
        p.addLast(SEND_TIMEOUT, new SendTimeout(listener.id(), listener.sendTimeout().toNanos(),
                listener.sendTimeoutClose(), listenerCounters));
        if (listener.proxyProtocol()) {
            p.addLast(PROXY_DECODER, new HAProxyMessageDecoder());      // removes itself after the header
            p.addLast(PROXY, new ProxyProtocol(listener.proxyProtocolTimeout().toMillis(), listenerCounters));
        }
        if (tls != null) {
            p.addLast(TLS, tls.newHandler(ch.alloc()));
            p.addLast(TLS_OUTCOME, new TlsHandshakeOutcome(listener.id(), listenerCounters));
        }
        listener.webSocket().ifPresent(ws -> {
            p.addLast(HTTP_CODEC, new HttpServerCodec());
            p.addLast(HTTP_AGGREGATOR, new HttpObjectAggregator(MAX_UPGRADE_REQUEST));
            p.addLast(WS_UPGRADE, new WebSocketUpgrade(ws, maxFramePayload(), listenerCounters));
        });
        mqttSteps.addTo(p, listener);                                  // framer, decoder, protocol
    }

    /** A frame may carry a whole packet of the largest size and then some (a client may coalesce packets). */
    private int maxFramePayload() {
        return (int) Math.min(Integer.MAX_VALUE, 2L * mqtt.maxPacketSize() + 16);
    }
}
