package io.jemq.protocol;

import io.jemq.sys.Counters;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.util.ReferenceCountUtil;

/**
 * The last step of a connection's pipeline: hands each decoded packet to the class that handles its kind
 * ({@link ConnectFlow}, {@link PublishIn}, {@link AcksIn}, {@link SubscribeFlow}, {@link ProtocolErrors}), in
 * order, holding packets while the connection's {@link InboundGate} waits; flushes what they wrote once per read.
 * The MQTT 3.1, 3.1.1 and 5.0 state machine lives in those classes and the {@link Connection} they share.
 *
 * <p>Threads: one per channel, called by Netty on the channel's event loop only.
 */
public final class ConnectionHandler extends ChannelInboundHandlerAdapter implements InboundGate.Replay {
    private final ConnectionServices services;
    private final String listenerId;
    private final Counters counters;
    private Connection c;
    private PublishIn publishes;
    private AcksIn acks;
    private SubscribeFlow subscriptions;

    /** @param listenerId the listener the connection came in on, e.g. {@code tcp.external} */
    public ConnectionHandler(ConnectionServices services, String listenerId) {
        this.services = services;
        this.listenerId = listenerId;
        this.counters = services.counters();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        InboundGate gate = new InboundGate(ctx.channel(), this);
        c = new Connection(services, listenerId, ctx, gate);
        publishes = new PublishIn(c);
        acks = new AcksIn(c);
        subscriptions = new SubscribeFlow(c);
        c.deadline.start(services.settings().mqtt().connectTimeout().toMillis());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof MqttMessage m)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        c.deadline.packetArrived();
        if (c.gate.isWaiting()) {
            c.gate.hold(m);                                 // handled in order once the answer is in
            return;
        }
        counters.packetReceived(m.decoderResult().isSuccess() ? m.fixedHeader().messageType().value() : 0);
        if (m.decoderResult().isFailure()) {
            c.errors.malformed(m);
            return;
        }
        switch (c.state) {
            case CONNECTED -> dispatch(m);
            case AWAIT_CONNECT -> {
                if (m.fixedHeader().messageType() == MqttMessageType.CONNECT) {
                    c.connect.onConnect((MqttConnectMessage) m);
                } else {
                    ReferenceCountUtil.release(m);
                    c.errors.violation("first packet was " + m.fixedHeader().messageType() + ", not CONNECT",
                            ReasonCodes.PROTOCOL_ERROR);
                }
            }
            case CLOSED -> ReferenceCountUtil.release(m);
            // the gate holds everything while a CONNECT is being authenticated
            case AUTHENTICATING -> dispatch(m);
        }
    }

    private void dispatch(MqttMessage m) {
        MqttMessageType type = m.fixedHeader().messageType();
        switch (type) {
            case PUBLISH -> publishes.onPublish((MqttPublishMessage) m);
            case PUBACK -> acks.onPuback(m);
            case PUBREC -> acks.onPubrec(m);
            case PUBREL -> acks.onPubrel(m);
            case PUBCOMP -> acks.onPubcomp(m);
            case SUBSCRIBE -> subscriptions.onSubscribe((MqttSubscribeMessage) m);
            case UNSUBSCRIBE -> subscriptions.onUnsubscribe((MqttUnsubscribeMessage) m);
            case PINGREQ -> c.out.pingresp();
            case DISCONNECT -> c.connect.onDisconnect(m);
            case CONNECT -> c.errors.violation("second CONNECT", ReasonCodes.PROTOCOL_ERROR);
            default -> c.errors.violation("unexpected " + type + " from a client", ReasonCodes.PROTOCOL_ERROR);
        }
    }

    @Override
    public void replay(Object packet) {
        channelRead(c.ctx, packet);
    }

    @Override
    public void replayed() {
        c.out.flush();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        c.deadline.readComplete();
        c.out.flushAfterTasks();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && c.session != null && c.state == Connection.State.CONNECTED
                && c.session.loop().inEventLoop()) {
            c.session.drainQueue();
            c.out.flush();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (c.errors.framerEvent(evt)) {
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        c.errors.exception(cause);
    }

    /** How long the client may stay silent now (tests). */
    long silenceAllowedMillis() {
        return c.deadline.timeoutMillis();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        c.closed();
        ctx.fireChannelInactive();
    }
}
