package io.jemq.bench.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One MQTT connection of the load generator: CONNECT, SUBSCRIBE, raw PUBLISH frames out, PUBLISH and PUBACK in; on
 * TCP, TLS, WebSocket or both, as its {@link Front} says.
 * Its state is touched only on its channel's event loop; the public methods that start something from another thread
 * ({@link #subscribe}, {@link #disconnect}) hop onto that loop themselves. Writes made from {@link Inbound}
 * callbacks are flushed once at the end of the read, not one by one.
 */
public final class BenchClient {
    private static final int PUBACK_HEADER = 0x4002;
    private static final int PUBREC_HEADER = 0x5002;
    private static final int PUBREL_HEADER = 0x6202;
    private static final int PUBCOMP_HEADER = 0x7002;

    private final String clientId;
    private final ClientOptions options;
    private final Inbound inbound;
    private final CompletableFuture<BenchClient> connected = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private Channel channel;
    private ScheduledFuture<?> pinger;
    private CompletableFuture<Void> subscribing;
    private int nextSubscribeId = 1;
    private int serverReceiveMaximum = 65_535;
    private boolean unflushed;
    private volatile boolean leaving;
    private volatile Throwable failure;

    private BenchClient(String clientId, ClientOptions options, Inbound inbound) {
        this.clientId = clientId;
        this.options = options;
        this.inbound = inbound;
    }

    /**
     * Opens a connection and completes once the broker accepted the CONNECT (clean session). Fails with the socket
     * error when the broker cannot be reached, or with {@link RefusedException} when it answers with a failure.
     *
     * @param local source address to bind, or null to let the kernel choose
     */
    public static CompletableFuture<BenchClient> connect(Transport transport, ClientOptions options, String clientId,
                                                         SocketAddress local, Inbound inbound) {
        BenchClient client = new BenchClient(clientId, options, inbound);
        Bootstrap bootstrap = transport.bootstrap().handler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                client.init(ch);
            }
        });
        ChannelFuture attempt = local == null ? bootstrap.connect(options.broker())
                                              : bootstrap.connect(options.broker(), local);
        attempt.addListener(f -> {
            if (!f.isSuccess()) {
                client.connected.completeExceptionally(f.cause());
            }
        });
        return client.connected;
    }

    private void init(Channel ch) {
        channel = ch;
        ChannelPipeline p = ch.pipeline();
        options.front().addTo(p, options.broker());
        p.addLast("frames", new FrameReader(this, options.version() == MqttVersion.MQTT_5));
        p.addLast("decoder", new MqttDecoder());
        p.addLast("encoder", MqttEncoder.INSTANCE);
        p.addLast("client", new Handler());
    }

    public String clientId() {
        return clientId;
    }

    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    public ByteBufAllocator alloc() {
        return channel.alloc();
    }

    public boolean isWritable() {
        return channel.isWritable();
    }

    /** How many QoS 1 messages the broker lets this client have in flight (MQTT 5 Receive Maximum; else 65535). */
    public int serverReceiveMaximum() {
        return serverReceiveMaximum;
    }

    /** Queues a frame; it leaves at the next {@link #flush()} or at the end of the current read. Event loop only. */
    public void send(ByteBuf frame) {
        channel.write(frame, channel.voidPromise());
        unflushed = true;
    }

    /** Event loop only. */
    public void flush() {
        unflushed = false;
        channel.flush();
    }

    /** Subscribes to one filter; fails with {@link RefusedException} when the SUBACK says no. */
    public CompletableFuture<Void> subscribe(String filter, MqttQoS qos) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            if (subscribing != null) {
                done.completeExceptionally(new IllegalStateException("one subscription at a time"));
                return;
            }
            subscribing = done;
            int id = nextSubscribeId++;
            channel.writeAndFlush(MqttMessageBuilders.subscribe().addSubscription(qos, filter).messageId(id).build());
        });
        return done;
    }

    /** Sends DISCONNECT and closes; completes when the channel is closed. */
    public CompletableFuture<Void> disconnect() {
        leaving = true;
        if (channel.isActive()) {
            channel.writeAndFlush(MqttMessage.DISCONNECT).addListener(f -> channel.close());
        } else {
            channel.close();
        }
        return closed;
    }

    /** Completes when the connection is gone, whoever closed it. */
    public CompletableFuture<Void> closeFuture() {
        return closed;
    }

    /** True once the connection closed without {@link #disconnect()} being asked for. */
    public boolean lostConnection() {
        return closed.isDone() && !leaving;
    }

    /** The error that closed the connection, if any. */
    public Throwable failure() {
        return failure;
    }

    void publish(int qos, int packetId, ByteBuf buffer, int index, int length) {
        inbound.onPublish(this, buffer, index, length);
        if (qos == 1) {
            ack(PUBACK_HEADER, packetId);
        } else if (qos == 2) {
            ack(PUBREC_HEADER, packetId);
        }
    }

    void pubAck(int packetId) {
        inbound.onPubAck(this, packetId);
    }

    /** The broker received our QoS 2 PUBLISH: release it. */
    void pubRec(int packetId) {
        ack(PUBREL_HEADER, packetId);
    }

    /** The broker released a QoS 2 message it sent us: complete it. */
    void pubRel(int packetId) {
        ack(PUBCOMP_HEADER, packetId);
    }

    void pubComp(int packetId) {
        inbound.onPubComp(this, packetId);
    }

    private void ack(int header, int packetId) {
        send(channel.alloc().ioBuffer(4).writeShort(header).writeShort(packetId));
    }

    private void onConnAck(MqttConnAckMessage ack) {
        MqttConnectReturnCode code = ack.variableHeader().connectReturnCode();
        if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            connected.completeExceptionally(new RefusedException("CONNACK " + code + " for " + clientId));
            channel.close();
            return;
        }
        MqttProperties.MqttProperty<?> max =
                ack.variableHeader().properties().getProperty(MqttProperties.MqttPropertyType.RECEIVE_MAXIMUM.value());
        if (max != null) {
            serverReceiveMaximum = (Integer) max.value();
        }
        int keepAlive = options.keepAliveSeconds();
        if (keepAlive > 0) {
            // pinging at half the keepalive, whatever else is sent, keeps a receive-only client alive for free
            long period = Math.max(1, keepAlive * 1000L / 2);
            pinger = channel.eventLoop().scheduleAtFixedRate(
                    () -> channel.writeAndFlush(MqttMessage.PINGREQ), period, period, TimeUnit.MILLISECONDS);
        }
        connected.complete(this);
    }

    private void onSubAck(MqttSubAckMessage ack) {
        CompletableFuture<Void> done = subscribing;
        subscribing = null;
        if (done == null) {
            return;
        }
        for (int code : ack.payload().reasonCodes()) {
            if (code >= 0x80) {
                done.completeExceptionally(new RefusedException("SUBACK refused the subscription of " + clientId
                        + " (code 0x" + Integer.toHexString(code) + ")"));
                return;
            }
        }
        done.complete(null);
    }

    /** The end of the pipeline: the rare packets, flow control and the connection's life. */
    private final class Handler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            MqttMessageBuilders.ConnectBuilder connect = MqttMessageBuilders.connect()
                    .clientId(clientId)
                    .protocolVersion(options.version())
                    .cleanSession(!options.persistent())
                    .keepAlive(options.keepAliveSeconds());
            if (options.persistent() && options.version() == MqttVersion.MQTT_5) {
                MqttProperties props = new MqttProperties();
                props.add(new MqttProperties.IntegerProperty(
                        MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), 3600));
                connect.properties(props);
            }
            if (options.username() != null) {
                connect.hasUser(true).username(options.username());
                if (options.password() != null) {
                    connect.hasPassword(true).password(options.password().getBytes(StandardCharsets.UTF_8));
                }
            }
            ctx.writeAndFlush(connect.build());
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                MqttMessage m = (MqttMessage) msg;
                if (m.decoderResult().isFailure()) {
                    throw new IOException("undecodable packet from the broker", m.decoderResult().cause());
                }
                switch (m.fixedHeader().messageType()) {
                    case CONNACK -> onConnAck((MqttConnAckMessage) m);
                    case SUBACK -> onSubAck((MqttSubAckMessage) m);
                    case DISCONNECT -> failure = new IOException("the broker sent DISCONNECT to " + clientId);
                    default -> { } // PINGRESP and anything the benchmark does not ask for
                }
            } catch (IOException e) {
                exceptionCaught(ctx, e);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (unflushed) {
                flush();
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            // SslHandler closes the channel after a failed handshake, often without an exception to say why
            if (evt instanceof SslHandshakeCompletionEvent e && !e.isSuccess() && failure == null) {
                failure = e.cause();
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                inbound.onWritable(BenchClient.this);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (failure == null) {
                failure = cause;
            }
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (pinger != null) {
                pinger.cancel(false);
            }
            Throwable why = failure != null ? failure : new IOException("the broker closed the connection");
            connected.completeExceptionally(why);
            if (subscribing != null) {
                subscribing.completeExceptionally(why);
            }
            closed.complete(null);
        }
    }
}
