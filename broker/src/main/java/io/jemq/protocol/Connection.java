package io.jemq.protocol;

import io.jemq.api.Access;
import io.jemq.access.AclDecision;
import io.jemq.access.AuthChain;
import io.jemq.api.AuthResult;
import io.jemq.access.ClientAcl;
import io.jemq.api.ClientInfo;
import io.jemq.access.InboundGate;
import io.jemq.codec.PacketFramer;
import io.jemq.config.BrokerSettings;
import io.jemq.limits.QuotaExceededException;
import io.jemq.message.Message;
import io.jemq.message.Message.MessageProperties;
import io.jemq.message.Message.UserProperty;
import io.jemq.routing.SubOptions;
import io.jemq.routing.TopicFilter;
import io.jemq.routing.Topics;
import io.jemq.session.Delivery;
import io.jemq.session.Dispatcher;
import io.jemq.session.Session;
import io.jemq.session.SessionRegistry;
import io.jemq.sys.Counter;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;

/**
 * One client connection: the MQTT protocol state machine for 3.1, 3.1.1 and 5.0 (CONNECT validation and
 * authentication, keepalive, QoS flows, SUBSCRIBE/UNSUBSCRIBE, topic aliases, DISCONNECT and wills).
 *
 * <p>Threads: a Connection lives on its channel's event loop and is touched only there. While CONNECT is being
 * authenticated, auto-read is off so nothing races ahead of CONNACK. Its session is normally owned by the same
 * loop; after a take-over by a connection on another loop, this one only closes.
 */
public final class Connection extends ChannelInboundHandlerAdapter
        implements Session.Outlet, Dispatcher.Backpressure {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);
    private static final long REFUSAL_LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private enum State { AWAIT_CONNECT, AUTHENTICATING, CONNECTED, CLOSED }

    private final ConnectionServices services;
    private final String listenerId;
    private final ConnectValidator validator;

    private ChannelHandlerContext ctx;
    private Channel channel;
    private ScheduledFuture<?> pauseLimit;
    /** The congested subscribers this publisher waits for, with the callback each will run when it drains. */
    private Map<Session, Runnable> pausedBy;
    private final Runnable resumeReading = this::resumeReading;
    private State state = State.AWAIT_CONNECT;
    private int protocolLevel = 4;
    private boolean v5;
    private String clientId;
    private String username;
    private Session session;
    // access control: packets wait here, in order, behind CONNECT authentication or an asynchronous ACL answer
    private InboundGate gate;
    private ClientAcl acl;
    private Message will;
    private long willDelaySeconds;
    private int sessionAttachment;                   // tells a delayed will whether a newer connection resumed
    private boolean willCleared;
    private String closeReason;
    private boolean wroteSinceFlush;
    private Mountpoint mountpoint = Mountpoint.NONE;
    private long lastRefusalLogNanos;

    // what the 5.0 client told us about itself
    private int clientReceiveMaximum = 65535;
    private int clientMaxPacketSize;                 // 0 = no limit
    private int clientTopicAliasMaximum;
    private Map<Integer, String> inboundAliases;
    private Map<String, Integer> outboundAliases;
    private long connectExpirySeconds;

    public Connection(ConnectionServices services, String listenerId) {
        this.services = services;
        this.listenerId = listenerId;
        this.validator = new ConnectValidator(services.settings().mqtt());
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.channel = ctx.channel();
        this.gate = new InboundGate(channel, msg -> channelRead(this.ctx, msg), this::flush);
    }

    // ---------------------------------------------------------------- inbound

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof MqttMessage m)) {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        if (gate.isWaiting()) {
            gate.hold(m);                                   // handled in order once the answer is in
            return;
        }
        services.counters().packetReceived(m.decoderResult().isSuccess() ? m.fixedHeader().messageType().value() : 0);
        if (m.decoderResult().isFailure()) {
            onMalformed(m);
            return;
        }
        if (state == State.CLOSED) {
            io.netty.util.ReferenceCountUtil.release(m);
            return;
        }
        MqttMessageType type = m.fixedHeader().messageType();
        if (state == State.AWAIT_CONNECT) {
            if (type == MqttMessageType.CONNECT) {
                onConnect((MqttConnectMessage) m);
            } else {
                io.netty.util.ReferenceCountUtil.release(m);
                protocolViolation("first packet was " + type + ", not CONNECT", ReasonCodes.PROTOCOL_ERROR);
            }
            return;
        }
        switch (type) {
            case PUBLISH -> onPublish((MqttPublishMessage) m);
            case PUBACK -> onPuback(m);
            case PUBREC -> onPubrec(m);
            case PUBREL -> onPubrel(m);
            case PUBCOMP -> onPubcomp(m);
            case SUBSCRIBE -> onSubscribe((MqttSubscribeMessage) m);
            case UNSUBSCRIBE -> onUnsubscribe((MqttUnsubscribeMessage) m);
            case PINGREQ -> {
                write(new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGRESP, false, MqttQoS.AT_MOST_ONCE,
                        false, 0)));
            }
            case DISCONNECT -> onDisconnect(m);
            case CONNECT -> protocolViolation("second CONNECT", ReasonCodes.PROTOCOL_ERROR);
            default -> protocolViolation("unexpected " + type + " from a client", ReasonCodes.PROTOCOL_ERROR);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (channel.isWritable() && session != null && state == State.CONNECTED && session.loop().inEventLoop()) {
            session.drainQueue();
            flush();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        // the framer counted these
        if (evt == PacketFramer.TOO_LARGE) {
            log.debug("closing client {} ({}): packet above mqtt.max_packet_size", clientId, channel.remoteAddress());
            sendDisconnect(ReasonCodes.PACKET_TOO_LARGE, "packet too large");
            closeNow("packet_too_large");
            return;
        }
        if (evt instanceof PacketFramer.Malformed m) {
            log.debug("closing client {} ({}): malformed packet: {}", clientId, channel.remoteAddress(), m.reason());
            sendDisconnect(ReasonCodes.MALFORMED_PACKET, m.reason());
            closeNow("malformed_packet");
            return;
        }
        if (evt instanceof IdleStateEvent) {
            if (state == State.AWAIT_CONNECT || state == State.AUTHENTICATING) {
                log.debug("closing {}: no CONNECT within mqtt.client.idle_timeout", channel.remoteAddress());
                closeNow("connect_timeout");
            } else {
                log.info("client {} ({}) timed out: no packet within 1.5 × keepalive", clientId,
                        channel.remoteAddress());
                sendDisconnect(ReasonCodes.KEEP_ALIVE_TIMEOUT, "keepalive timeout");
                closeNow("keepalive_timeout");
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof java.io.IOException) {
            log.debug("connection {} of {}: {}", channel.remoteAddress(), clientId, cause.toString());
        } else {
            log.warn("connection {} of {} failed", channel.remoteAddress(), clientId, cause);
        }
        closeNow(cause instanceof java.io.IOException ? "network_error" : "internal_error");
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        State was = state;
        state = State.CLOSED;
        gate.discard();
        forgetPauses();
        if (was == State.CONNECTED) {
            onConnectionLost();
        } else if (will != null) {
            will.release();
            will = null;
        }
        ctx.fireChannelInactive();
    }

    // ---------------------------------------------------------------- CONNECT

    private void onConnect(MqttConnectMessage connect) {
        protocolLevel = connect.variableHeader().version();
        v5 = protocolLevel == 5;
        ConnectValidator.Verdict verdict = validator.validate(connect);
        if (!verdict.accepted()) {
            log.debug("refused CONNECT from {} (client id {}): {}", channel.remoteAddress(),
                    connect.payload().clientIdentifier(), verdict.reason());
            refuse(verdict.refusal(), verdict.reason());
            return;
        }
        clientId = verdict.clientId();
        username = connect.payload().userName();
        // the listener's say: a client certificate may name the client, and the mountpoint scopes its topics
        TransportFacts facts = TransportFacts.of(channel);
        clientId = facts.clientId(clientId);
        username = facts.username(username);
        mountpoint = Mountpoint.resolve(facts.mountpoint(), clientId, username);
        if (mountpoint == null) {
            mountpoint = Mountpoint.NONE;
            refuse(v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                    : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED,
                    "the listener's mountpoint needs a client id and username without + # / and not empty");
            return;
        }
        MqttProperties props = connect.variableHeader().properties();
        if (v5) {
            readClientLimits(props);
        }
        connectExpirySeconds = v5 ? intProperty(props, MqttPropertyType.SESSION_EXPIRY_INTERVAL, 0) & 0xFFFFFFFFL
                : connect.variableHeader().isCleanSession() ? 0
                : services.settings().session().expiryInterval().toSeconds();
        if (connect.variableHeader().isWillFlag()) {
            will = willMessage(connect);
            willDelaySeconds = v5 ? intProperty(connect.payload().willProperties(),
                    MqttPropertyType.WILL_DELAY_INTERVAL, 0) & 0xFFFFFFFFL : 0;
        }
        boolean cleanStart = connect.variableHeader().isCleanSession();
        int keepAlive = connect.variableHeader().keepAliveTimeSeconds();
        byte[] password = connect.payload().passwordInBytes();
        ClientInfo info = new ClientInfo(clientId, username, facts.peer(channel), protocolLevel, listenerId,
                facts.certCommonName(), facts.certSubject(), facts.headers(), facts.cookies());

        state = State.AUTHENTICATING;
        CompletableFuture<AuthResult> answer;
        try {
            answer = services.auth().authenticate(info, password).toCompletableFuture();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        gate.await(answer, (result, error) -> onAuthenticated(result, error, info, cleanStart, keepAlive,
                verdict.assigned()));
    }

    private void onAuthenticated(AuthResult result, Throwable error, ClientInfo info, boolean cleanStart,
                                 int keepAlive, boolean assignedId) {
        if (state != State.AUTHENTICATING) {
            return;                                          // closed while we waited
        }
        if (error != null) {
            log.warn("authentication of {} failed: {}", clientId, error.toString());
            refuse(v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5
                    : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE, "authentication unavailable");
            return;
        }
        if (result.decision() != AuthResult.Decision.ALLOW) {
            boolean anonymous = result == AuthChain.NO_MODULE;
            log.info("refused client {} (user {}) from {}: {}", clientId, username, channel.remoteAddress(),
                    result.reason());
            refuse(anonymous
                    ? (v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                            : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED)
                    : (v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD
                            : MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD), result.reason());
            return;
        }
        acl = services.access().forClient(info, result.superuser(), channel.eventLoop());
        gate.block();                                       // until the session is ready and CONNACK written
        KeepAlive agreed = KeepAlive.agree(v5, keepAlive, services.settings().mqtt());
        armKeepAlive(agreed.seconds());
        services.sessions().open(clientId, cleanStart, connectExpirySeconds, this, channel.eventLoop(),
                (s, present) -> onSessionReady(s, present, assignedId, agreed.told()));
    }

    private void onSessionReady(Session s, boolean present, boolean assignedId, int serverKeepAlive) {
        // the fate of a delayed will left for this client id: decided now the session is attached, so that a will
        // the replaced connection registers from here on sees the attach itself (see Wills)
        services.wills().onReconnect(clientId, present);
        if (state != State.AUTHENTICATING) {
            // the socket closed while the session was being opened: let the session know it is offline
            s.detach(this);
            releaseWill();
            return;
        }
        session = s;
        sessionAttachment = s.attachments();
        state = State.CONNECTED;
        MqttProperties props = MqttProperties.NO_PROPERTIES;
        if (v5) {
            props = new MqttProperties();
            if (assignedId) {
                props.add(new MqttProperties.StringProperty(
                        MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER.value(), clientId));
            }
            props.add(new MqttProperties.IntegerProperty(MqttPropertyType.RECEIVE_MAXIMUM.value(),
                    Math.min(65535, services.settings().session().maxAwaitingRel())));
            props.add(new MqttProperties.IntegerProperty(MqttPropertyType.MAXIMUM_PACKET_SIZE.value(),
                    services.settings().mqtt().maxPacketSize()));
            props.add(new MqttProperties.IntegerProperty(MqttPropertyType.TOPIC_ALIAS_MAXIMUM.value(),
                    services.settings().mqtt().maxTopicAlias()));
            if (serverKeepAlive >= 0) {
                props.add(new MqttProperties.IntegerProperty(MqttPropertyType.SERVER_KEEP_ALIVE.value(),
                        serverKeepAlive));
            }
        }
        write(new MqttConnAckMessage(new MqttFixedHeader(MqttMessageType.CONNACK, false, MqttQoS.AT_MOST_ONCE,
                false, 0), new MqttConnAckVariableHeader(MqttConnectReturnCode.CONNECTION_ACCEPTED, present, props)));
        services.onConnected(this);
        log.debug("client {} (user {}) connected from {} with MQTT level {}, session {}", clientId, username,
                channel.remoteAddress(), protocolLevel, present ? "resumed" : "new");
        s.resume();
        gate.drain();                                       // packets sent right behind CONNECT
    }

    private void armKeepAlive(int keepAliveSeconds) {
        var pipeline = channel.pipeline();
        if (pipeline.get(HandlerNames.IDLE) == null) {
            return;
        }
        if (keepAliveSeconds <= 0) {
            pipeline.remove(HandlerNames.IDLE);
            return;
        }
        double backoff = services.settings().mqtt().keepaliveBackoff();
        long millis = Math.max(1, Math.round(keepAliveSeconds * 1000 * backoff * 2));
        pipeline.replace(HandlerNames.IDLE, HandlerNames.IDLE, new IdleStateHandler(millis, 0, 0,
                TimeUnit.MILLISECONDS));
    }

    private void readClientLimits(MqttProperties props) {
        int receiveMax = intProperty(props, MqttPropertyType.RECEIVE_MAXIMUM, 65535);
        clientReceiveMaximum = receiveMax <= 0 ? 65535 : receiveMax;
        clientMaxPacketSize = intProperty(props, MqttPropertyType.MAXIMUM_PACKET_SIZE, 0);
        clientTopicAliasMaximum = intProperty(props, MqttPropertyType.TOPIC_ALIAS_MAXIMUM, 0);
    }

    private Message willMessage(MqttConnectMessage connect) {
        var h = connect.variableHeader();
        var p = connect.payload();
        MqttProperties wp = v5 ? p.willProperties() : MqttProperties.NO_PROPERTIES;
        long expiry = intProperty(wp, MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL, 0) & 0xFFFFFFFFL;
        long now = System.currentTimeMillis();
        return new Message(mountpoint.mount(p.willTopic()), h.willQos(), h.isWillRetain(),
                Unpooled.wrappedBuffer(p.willMessageInBytes()), clientId, now,
                expiry > 0 ? now + expiry * 1000 : 0, v5 ? messageProperties(wp) : MessageProperties.NONE);
    }

    private void refuse(MqttConnectReturnCode code, String reason) {
        services.counters().bump(Counter.CONNECTIONS_REFUSED);
        MqttProperties props = MqttProperties.NO_PROPERTIES;
        if (v5 && reason != null) {
            props = new MqttProperties();
            props.add(new MqttProperties.StringProperty(MqttPropertyType.REASON_STRING.value(), reason));
        }
        MqttConnectReturnCode sent = code;
        if (!v5 && (code.byteValue() & 0x80) != 0) {
            sent = MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE;
        }
        releaseWill();
        state = State.CLOSED;
        ctx.writeAndFlush(new MqttConnAckMessage(new MqttFixedHeader(MqttMessageType.CONNACK, false,
                MqttQoS.AT_MOST_ONCE, false, 0), new MqttConnAckVariableHeader(sent, false, props)))
                .addListener(ChannelFutureListener.CLOSE);
        services.counters().packetSent(MqttMessageType.CONNACK.value());
    }

    // ---------------------------------------------------------------- PUBLISH in

    private void onPublish(MqttPublishMessage p) {
        int qos = p.fixedHeader().qosLevel().value();
        String topic = p.variableHeader().topicName();
        MqttProperties props = p.variableHeader().properties();
        if (v5) {
            topic = resolveInboundAlias(topic, props);
            if (topic == null) {
                p.release();
                return;
            }
        }
        if (!Topics.isValidName(topic, services.settings().mqtt().maxTopicLevels())) {
            p.release();
            log.debug("client {} published to an invalid topic name {}", clientId, topic);
            protocolViolation("invalid topic name", ReasonCodes.TOPIC_NAME_INVALID);
            return;
        }
        String written = topic;                              // what ACL rules are about, as in EMQ
        topic = mountpoint.mount(topic);
        services.counters().messageReceived(qos);
        CompletableFuture<AclDecision> allowed = acl.check(Access.PUBLISH, written);
        if (allowed.isDone()) {
            onPublishChecked(p, topic, AclDecision.of(allowed));
        } else {
            String checkedTopic = topic;
            gate.await(allowed, (d, e) -> onPublishChecked(p, checkedTopic, AclDecision.of(allowed)));
        }
    }

    private void onPublishChecked(MqttPublishMessage p, String topic, AclDecision decision) {
        int qos = p.fixedHeader().qosLevel().value();
        int packetId = p.variableHeader().packetId();
        MqttProperties props = p.variableHeader().properties();
        if (state != State.CONNECTED) {
            p.release();                                      // closed while the ACL answer was on its way
            return;
        }
        if (!decision.allowed()) {
            onPublishDenied(p, topic, qos, packetId);
            return;
        }
        if (qos == 2) {
            if (!session.loop().inEventLoop()) {
                p.release();
                return;
            }
            if (!session.receiveQos2(packetId)) {
                p.release();                                  // a resend of one we already routed
                writePubReply(MqttMessageType.PUBREC, packetId, ReasonCodes.SUCCESS);
                return;
            }
            if (session.awaitingRelCount() > services.settings().session().maxAwaitingRel()) {
                session.release(packetId);
                p.release();
                services.counters().bump(Counter.MESSAGES_QOS2_DROPPED);
                services.counters().bump(Counter.MESSAGES_DROPPED);
                if (v5) {
                    protocolViolation("more QoS 2 messages awaiting PUBREL than the Receive Maximum",
                            ReasonCodes.RECEIVE_MAXIMUM_EXCEEDED);
                } else {
                    log.warn("dropped QoS 2 message from {}: mqtt.session.max_awaiting_rel ({}) reached", clientId,
                            services.settings().session().maxAwaitingRel());
                }
                return;
            }
        }
        long now = System.currentTimeMillis();
        long expiry = v5 ? intProperty(props, MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL, 0) & 0xFFFFFFFFL : 0;
        Message message = new Message(topic, qos, p.fixedHeader().isRetain(), p.payload(), clientId, now,
                expiry > 0 ? now + expiry * 1000 : 0, v5 ? messageProperties(props) : MessageProperties.NONE);
        if (message.isRetain() && !services.retainer().hasRoomFor(message)) {
            onRetainRefused(message, qos, packetId);
            return;
        }
        int receivers;
        try {
            receivers = services.publish(message, this);
        } finally {
            message.release();
        }
        if (qos == 1) {
            writePubReply(MqttMessageType.PUBACK, packetId,
                    v5 && receivers == 0 ? ReasonCodes.NO_MATCHING_SUBSCRIBERS : ReasonCodes.SUCCESS);
        } else if (qos == 2) {
            writePubReply(MqttMessageType.PUBREC, packetId,
                    v5 && receivers == 0 ? ReasonCodes.NO_MATCHING_SUBSCRIBERS : ReasonCodes.SUCCESS);
        }
    }

    /**
     * The retained store's budget is spent: the PUBLISH is refused whole (neither kept nor routed), so the client
     * knows where it stands. 5.0 clients get 0x97 (Quota exceeded); 3.1.1 clients, who cannot be told, get their
     * PUBACK/PUBREC so they don't resend it for ever, and the drop is counted and logged.
     */
    private void onRetainRefused(Message message, int qos, int packetId) {
        if (qos == 2) {
            session.release(packetId);                         // nothing awaits a PUBREL for it
        }
        message.release();
        services.counters().bump(Counter.MESSAGES_DROPPED);
        logRefusal("retained message to " + message.topic() + " refused: mqtt.budget.retained is spent");
        byte code = v5 ? ReasonCodes.QUOTA_EXCEEDED : ReasonCodes.SUCCESS;
        if (qos == 1) {
            writePubReply(MqttMessageType.PUBACK, packetId, code);
        } else if (qos == 2) {
            writePubReply(MqttMessageType.PUBREC, packetId, code);
        }
    }

    /** What a budget refused this client: logged at most once a minute per connection. */
    private void logRefusal(String what) {
        long now = System.nanoTime();
        if (lastRefusalLogNanos == 0 || now - lastRefusalLogNanos > REFUSAL_LOG_INTERVAL_NANOS) {
            lastRefusalLogNanos = now;
            log.warn("client {} ({}): {}", clientId, channel.remoteAddress(), what);
        }
    }

    /**
     * A denied PUBLISH is dropped. 3.1.1 clients still get their PUBACK/PUBREC so they don't resend it forever; 5.0
     * clients get 0x87; with {@code mqtt.acl_deny_action = disconnect} the connection is closed instead.
     */
    private void onPublishDenied(MqttPublishMessage p, String topic, int qos, int packetId) {
        p.release();
        services.counters().bump(Counter.MESSAGES_DROPPED);
        log.debug("client {} (user {}) may not publish to {}: dropped", clientId, username, topic);
        if (services.access().disconnectOnDeny()) {
            sendDisconnect(ReasonCodes.NOT_AUTHORIZED, "not authorized to publish to " + topic);
            closeNow("acl_deny");
            return;
        }
        byte code = v5 ? ReasonCodes.NOT_AUTHORIZED : ReasonCodes.SUCCESS;
        if (qos == 1) {
            writePubReply(MqttMessageType.PUBACK, packetId, code);
        } else if (qos == 2) {
            writePubReply(MqttMessageType.PUBREC, packetId, code);
        }
    }

    /** @return the topic to use, or null after closing the connection for a bad alias */
    private String resolveInboundAlias(String topic, MqttProperties props) {
        MqttProperties.MqttProperty<?> aliasProperty = props == null ? null
                : props.getProperty(MqttPropertyType.TOPIC_ALIAS.value());
        if (aliasProperty == null) {
            if (topic.isEmpty()) {
                protocolViolation("empty topic without a topic alias", ReasonCodes.PROTOCOL_ERROR);
                return null;
            }
            return topic;
        }
        int alias = (Integer) aliasProperty.value();
        if (alias == 0 || alias > services.settings().mqtt().maxTopicAlias()) {
            protocolViolation("topic alias " + alias + " above the maximum "
                    + services.settings().mqtt().maxTopicAlias(), ReasonCodes.TOPIC_ALIAS_INVALID);
            return null;
        }
        if (inboundAliases == null) {
            inboundAliases = new HashMap<>();
        }
        if (topic.isEmpty()) {
            String known = inboundAliases.get(alias);
            if (known == null) {
                protocolViolation("unknown topic alias " + alias, ReasonCodes.PROTOCOL_ERROR);
            }
            return known;
        }
        inboundAliases.put(alias, topic);
        return topic;
    }

    /**
     * A subscriber this connection publishes to is falling behind: stop reading until it drains, or for
     * {@code mqtt.mqueue.max_pause} at most. The bound keeps the unread PINGREQ and acks of this client from waiting
     * long; what it already sent is acknowledged and delivered to everyone else meanwhile.
     */
    @Override
    public void congested(Session target) {
        long maxPauseNanos = services.settings().mqueue().maxPause().toNanos();
        if (maxPauseNanos == 0) {
            return;
        }
        // one registration per congested subscriber until it drains: a pause that ends by its time limit and
        // starts again must not add another callback to a subscriber that stays behind
        if (pausedBy == null) {
            pausedBy = new HashMap<>(4);
        }
        if (!pausedBy.containsKey(target)) {
            Runnable onDrained = () -> channel.eventLoop().execute(() -> {
                if (pausedBy.remove(target) != null) {
                    resumeReading();
                }
            });
            pausedBy.put(target, onDrained);
            target.whenDrained(onDrained);
        }
        if (ReadGate.isPaused(channel, ReadGate.CONGESTION)) {
            return;
        }
        ReadGate.pause(channel, ReadGate.CONGESTION);
        log.debug("pausing {}: subscriber {} is behind", clientId, target.clientId());
        pauseLimit = channel.eventLoop().schedule(resumeReading, maxPauseNanos, TimeUnit.NANOSECONDS);
    }

    /** A closed publisher needs no resuming: the subscribers it waited for forget it. */
    private void forgetPauses() {
        if (pausedBy != null) {
            pausedBy.forEach(Session::forgetPaused);
            pausedBy.clear();
        }
    }

    private void resumeReading() {
        if (pauseLimit != null) {
            pauseLimit.cancel(false);
            pauseLimit = null;
        }
        if (ReadGate.isPaused(channel, ReadGate.CONGESTION)) {
            log.debug("resuming {}", clientId);
            ReadGate.resume(channel, ReadGate.CONGESTION);
        }
    }

    // ---------------------------------------------------------------- acknowledgements in

    private void onPuback(MqttMessage m) {
        int id = packetId(m);
        if (ownsSession() && !session.onPuback(id)) {
            services.counters().bump(Counter.PACKETS_PUBACK_MISSED);
            log.debug("client {} acknowledged unknown packet id {} (PUBACK)", clientId, id);
        }
    }

    private void onPubrec(MqttMessage m) {
        int id = packetId(m);
        if (!ownsSession()) {
            return;
        }
        if (v5 && m.variableHeader() instanceof MqttPubReplyMessageVariableHeader h
                && (h.reasonCode() & 0x80) != 0) {
            session.onPubrecFailed(id);
            return;
        }
        if (!session.onPubrec(id)) {
            services.counters().bump(Counter.PACKETS_PUBREC_MISSED);
            // the spec's answer to a PUBREC we don't know: PUBREL anyway (5.0 says "not found")
            writePubReply(MqttMessageType.PUBREL, id, ReasonCodes.PACKET_ID_NOT_FOUND);
        }
    }

    private void onPubrel(MqttMessage m) {
        int id = packetId(m);
        if (!ownsSession()) {
            return;
        }
        boolean known = session.release(id);
        if (!known) {
            services.counters().bump(Counter.PACKETS_PUBREL_MISSED);
        }
        writePubReply(MqttMessageType.PUBCOMP, id, known ? ReasonCodes.SUCCESS : ReasonCodes.PACKET_ID_NOT_FOUND);
    }

    private void onPubcomp(MqttMessage m) {
        int id = packetId(m);
        if (ownsSession() && !session.onPubcomp(id)) {
            services.counters().bump(Counter.PACKETS_PUBCOMP_MISSED);
            log.debug("client {} completed unknown packet id {} (PUBCOMP)", clientId, id);
        }
    }

    // ---------------------------------------------------------------- SUBSCRIBE / UNSUBSCRIBE

    private void onSubscribe(MqttSubscribeMessage m) {
        if (!ownsSession()) {
            return;
        }
        List<CompletableFuture<AclDecision>> checks = acl.checkFilters(m.payload().topicSubscriptions().stream()
                .map(MqttTopicSubscription::topicName).toList());
        CompletableFuture<Void> all = ClientAcl.whenAllDone(checks);
        if (all == null) {
            onSubscribeChecked(m, checks);
        } else {
            gate.await(all, (v, e) -> onSubscribeChecked(m, checks));
        }
    }

    private void onSubscribeChecked(MqttSubscribeMessage m, List<CompletableFuture<AclDecision>> checks) {
        if (!ownsSession()) {
            return;
        }
        int packetId = m.variableHeader().messageId();
        int subscriptionId = v5 ? intProperty(m.idAndPropertiesVariableHeader().properties(),
                MqttPropertyType.SUBSCRIPTION_IDENTIFIER, 0) : 0;
        int maxSubscriptions = services.settings().session().maxSubscriptions();
        List<MqttTopicSubscription> wanted = m.payload().topicSubscriptions();
        if (wanted.isEmpty()) {
            protocolViolation("SUBSCRIBE without topic filters", ReasonCodes.PROTOCOL_ERROR);
            return;
        }
        List<Integer> codes = new ArrayList<>(wanted.size());
        List<Runnable> retainedDeliveries = new ArrayList<>();
        for (int i = 0; i < wanted.size(); i++) {
            MqttTopicSubscription ts = wanted.get(i);
            String raw = ts.topicName();
            var opt = ts.option();
            int qos = opt.qos().value();
            TopicFilter parsed;
            try {
                parsed = TopicFilter.parse(raw);
            } catch (IllegalArgumentException e) {
                codes.add(v5 ? ReasonCodes.TOPIC_FILTER_INVALID & 0xFF : 0x80);
                continue;
            }
            if (!Topics.isValidFilter(parsed.filter(), services.settings().mqtt().maxTopicLevels())) {
                codes.add(v5 ? ReasonCodes.TOPIC_FILTER_INVALID & 0xFF : 0x80);
                continue;
            }
            TopicFilter filter = mountpoint.mount(parsed);
            if (v5 && filter.shared() && opt.isNoLocal()) {
                protocolViolation("no local on a shared subscription", ReasonCodes.PROTOCOL_ERROR);
                return;
            }
            if (!AclDecision.of(checks.get(i)).allowed()) {
                log.debug("client {} (user {}) may not subscribe to {}", clientId, username, raw);
                codes.add(v5 ? ReasonCodes.NOT_AUTHORIZED & 0xFF : 0x80);
                continue;
            }
            if (maxSubscriptions > 0 && !session.hasSubscription(filter)
                    && session.subscriptionCount() >= maxSubscriptions) {
                codes.add(v5 ? ReasonCodes.QUOTA_EXCEEDED & 0xFF : 0x80);
                continue;
            }
            SubOptions options = new SubOptions(qos, v5 && opt.isNoLocal(), v5 && opt.isRetainAsPublished(),
                    v5 ? opt.retainHandling().value() : 0, subscriptionId);
            SubOptions previous;
            try {
                previous = session.subscribe(filter, options);
            } catch (QuotaExceededException e) {
                logRefusal("subscription to " + raw + " refused: " + e.getMessage());
                codes.add(v5 ? ReasonCodes.QUOTA_EXCEEDED & 0xFF : 0x80);
                continue;
            }
            codes.add(qos);
            int retainHandling = options.retainHandling();
            if (!filter.shared() && (retainHandling == 0 || retainHandling == 1 && previous == null)) {
                retainedDeliveries.add(() -> deliverRetained(filter.filter(), options));
            }
        }
        MqttProperties ackProps = MqttProperties.NO_PROPERTIES;
        write(new MqttSubAckMessage(new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttMessageIdAndPropertiesVariableHeader(packetId, ackProps), new MqttSubAckPayload(codes)));
        retainedDeliveries.forEach(Runnable::run);
    }

    private void deliverRetained(String filter, SubOptions options) {
        int[] ids = options.subscriptionId() == 0 ? null : new int[]{options.subscriptionId()};
        services.retainer().match(filter, m -> {
            int qos = services.settings().session().upgradeQos() ? options.qos() : Math.min(options.qos(), m.qos());
            session.submit(new Delivery(m, qos, true, ids));
        });
    }

    private void onUnsubscribe(MqttUnsubscribeMessage m) {
        if (!ownsSession()) {
            return;
        }
        List<String> topics = m.payload().topics();
        if (topics.isEmpty()) {
            protocolViolation("UNSUBSCRIBE without topic filters", ReasonCodes.PROTOCOL_ERROR);
            return;
        }
        short[] codes = new short[topics.size()];
        for (int i = 0; i < codes.length; i++) {
            boolean existed;
            try {
                existed = session.unsubscribe(mountpoint.mount(TopicFilter.parse(topics.get(i))));
            } catch (IllegalArgumentException e) {
                existed = false;
            }
            codes[i] = existed ? ReasonCodes.SUCCESS : ReasonCodes.NO_SUBSCRIPTION_EXISTED;
        }
        write(new MqttUnsubAckMessage(new MqttFixedHeader(MqttMessageType.UNSUBACK, false, MqttQoS.AT_MOST_ONCE,
                false, 0), new MqttMessageIdAndPropertiesVariableHeader(
                m.variableHeader().messageId(), MqttProperties.NO_PROPERTIES), v5 ? new MqttUnsubAckPayload(codes) : null));
    }

    // ---------------------------------------------------------------- DISCONNECT and closing

    private void onDisconnect(MqttMessage m) {
        byte reason = 0;
        if (v5 && m.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader h) {
            reason = h.reasonCode();
            long expiry = intProperty(h.properties(), MqttPropertyType.SESSION_EXPIRY_INTERVAL, -1);
            if (expiry != -1) {
                if (connectExpirySeconds == 0 && expiry != 0) {
                    protocolViolation("session expiry set in DISCONNECT after 0 in CONNECT",
                            ReasonCodes.PROTOCOL_ERROR);
                    return;
                }
                if (ownsSession()) {
                    session.setExpirySeconds(expiry & 0xFFFFFFFFL);
                }
            }
        }
        if (reason != ReasonCodes.DISCONNECT_WITH_WILL) {
            willCleared = true;
            releaseWill();
        }
        closeNow("normal");
    }

    /** The socket is gone after a successful CONNECT: publish the will unless DISCONNECT cleared it. */
    private void onConnectionLost() {
        services.onDisconnected(this, closeReason == null ? "closed" : closeReason);
        if (will != null && !willCleared) {
            Message w = will;
            will = null;
            long delay = session != null ? Math.min(willDelaySeconds, session.expirySeconds()) : 0;
            String why = closeReason == null ? "connection lost" : closeReason;
            Session s = session;
            int attachment = sessionAttachment;
            CompletableFuture<AclDecision> allowed = acl == null ? AclDecision.ALLOW.stage()
                    : acl.check(Access.PUBLISH, mountpoint.unmount(w.topic()));     // as written, like a PUBLISH
            allowed.whenComplete((d, e) -> {
                if (AclDecision.of(allowed).allowed()) {
                    services.wills().publish(clientId, w, delay, channel.eventLoop(), why, s, attachment);
                } else {
                    log.info("will of {} to {} dropped: not authorized", clientId, w.topic());
                    w.release();
                }
            });
        }
        releaseWill();
        if (session != null) {
            Session s = session;
            SessionRegistry.runOnOwner(s, () -> s.detach(this));
        }
    }

    private void releaseWill() {
        if (will != null) {
            will.release();
            will = null;
        }
    }

    @Override
    public void kick() {
        if (state == State.CLOSED) {
            return;
        }
        log.info("client {} ({}) taken over by a new connection with the same client id", clientId,
                channel.remoteAddress());
        sendDisconnect(ReasonCodes.SESSION_TAKEN_OVER, "session taken over");
        closeNow("takeovered");
    }

    /** Closes with a 5.0 DISCONNECT first when we can; counts the packet as malformed when it was one. */
    private void protocolViolation(String why, byte reasonCode) {
        log.debug("closing client {} ({}): {}", clientId, channel.remoteAddress(), why);
        services.counters().bump(Counter.PACKETS_MALFORMED);
        sendDisconnect(reasonCode, why);
        closeNow("protocol_error");
    }

    private void onMalformed(MqttMessage m) {
        Throwable cause = m.decoderResult().cause();
        services.counters().bump(Counter.PACKETS_MALFORMED);
        io.netty.util.ReferenceCountUtil.release(m);
        if (state == State.AWAIT_CONNECT) {
            if (cause instanceof MqttUnacceptableProtocolVersionException) {
                log.debug("refused {}: {}", channel.remoteAddress(), cause.getMessage());
                refuse(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION, null);
                return;
            }
            if (cause instanceof MqttIdentifierRejectedException) {
                log.debug("refused {}: {}", channel.remoteAddress(), cause.getMessage());
                refuse(v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID
                        : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, null);
                return;
            }
        }
        boolean tooLarge = cause instanceof TooLongFrameException
                || cause instanceof DecoderException && cause.getCause() instanceof TooLongFrameException;
        log.debug("closing client {} ({}): malformed packet: {}", clientId, channel.remoteAddress(),
                cause == null ? "?" : cause.getMessage());
        if (state == State.CONNECTED) {
            sendDisconnect(tooLarge ? ReasonCodes.PACKET_TOO_LARGE : ReasonCodes.MALFORMED_PACKET,
                    tooLarge ? "packet too large" : "malformed packet");
        }
        closeNow(tooLarge ? "packet_too_large" : "malformed_packet");
    }

    private void sendDisconnect(byte reasonCode, String reason) {
        if (!v5 || state != State.CONNECTED || !channel.isActive()) {
            return;
        }
        MqttProperties props = new MqttProperties();
        props.add(new MqttProperties.StringProperty(MqttPropertyType.REASON_STRING.value(), reason));
        ctx.writeAndFlush(new MqttMessage(new MqttFixedHeader(MqttMessageType.DISCONNECT, false,
                MqttQoS.AT_MOST_ONCE, false, 0), new MqttReasonCodeAndPropertiesVariableHeader(reasonCode, props)));
        services.counters().packetSent(MqttMessageType.DISCONNECT.value());
    }

    /** The broker is stopping: tell 5.0 clients why, then close (the will is published: not a DISCONNECT). */
    public void shutdown() {
        sendDisconnect(ReasonCodes.SERVER_SHUTTING_DOWN, "server shutting down");
        closeNow("shutdown");
    }

    private void closeNow(String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        if (state == State.AUTHENTICATING || state == State.AWAIT_CONNECT) {
            state = State.CLOSED;
        }
        flush();
        channel.close();
    }

    // ---------------------------------------------------------------- Session.Outlet (outbound)

    @Override
    public boolean sendPublish(Delivery d, int packetId, boolean dup) {
        if (mountpoint.isNone()) {
            return sendPublish(d, d.message(), packetId, dup);
        }
        Message shown = mountpoint.unmount(d.message());     // the topic as this client knows it
        try {
            return sendPublish(d, shown, packetId, dup);
        } finally {
            if (shown != d.message()) {
                shown.release();
            }
        }
    }

    private boolean sendPublish(Delivery d, Message m, int packetId, boolean dup) {
        long now = System.currentTimeMillis();
        long remainingExpiry = 0;
        if (m.expiresAtMillis() != 0) {
            remainingExpiry = Math.max(1, (m.expiresAtMillis() - now + 999) / 1000);
        }
        boolean sendTopic = true;
        int alias = 0;
        if (v5 && clientTopicAliasMaximum > 0) {
            if (outboundAliases == null) {
                outboundAliases = new HashMap<>();
            }
            Integer known = outboundAliases.get(m.topic());
            if (known != null) {
                alias = known;
                sendTopic = false;
            } else if (outboundAliases.size() < clientTopicAliasMaximum) {
                alias = outboundAliases.size() + 1;
                outboundAliases.put(m.topic(), alias);
            }
        }
        PublishEncoder.Header h = new PublishEncoder.Header(d.qos(), dup, d.retainFlag(), packetId, sendTopic, alias,
                d.subscriptionIds(), remainingExpiry);
        if (clientMaxPacketSize > 0 && PublishEncoder.packetSize(m, h, v5) > clientMaxPacketSize) {
            if (alias > 0 && sendTopic) {
                outboundAliases.remove(m.topic());
            }
            log.debug("dropped {} for {}: larger than its Maximum Packet Size {}", m, clientId, clientMaxPacketSize);
            services.counters().bump(Counter.MESSAGES_DROPPED);
            return false;
        }
        PublishEncoder.Encoded e = PublishEncoder.encode(channel.alloc(), m, h, v5);
        ctx.write(e.first(), ctx.voidPromise());
        if (e.second() != null) {
            ctx.write(e.second(), ctx.voidPromise());
        }
        wroteSinceFlush = true;
        services.counters().packetSent(MqttMessageType.PUBLISH.value());
        services.counters().messageSent(d.qos());
        return true;
    }

    @Override
    public void sendPubrel(int packetId) {
        writePubReply(MqttMessageType.PUBREL, packetId, ReasonCodes.SUCCESS);
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public int receiveMaximum() {
        return clientReceiveMaximum;
    }

    @Override
    public boolean retriesInflight() {
        return !v5;
    }

    @Override
    public void flush() {
        if (wroteSinceFlush) {
            wroteSinceFlush = false;
            ctx.flush();
        }
    }

    // ---------------------------------------------------------------- helpers

    private boolean ownsSession() {
        return session != null && state == State.CONNECTED && session.loop().inEventLoop();
    }

    private void write(MqttMessage m) {
        ctx.write(m, ctx.voidPromise());
        wroteSinceFlush = true;
        services.counters().packetSent(m.fixedHeader().messageType().value());
    }

    private void writePubReply(MqttMessageType type, int packetId, byte reasonCode) {
        if (!v5 || reasonCode == 0) {
            // the common case, one per QoS 1/2 message: four bytes written directly, no codec objects
            int first = type.value() << 4 | (type == MqttMessageType.PUBREL ? 0x02 : 0);
            ctx.write(ctx.alloc().buffer(4).writeByte(first).writeByte(2).writeShort(packetId), ctx.voidPromise());
            wroteSinceFlush = true;
            services.counters().packetSent(type.value());
            return;
        }
        MqttQoS qos = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
        Object header = v5 && reasonCode != 0
                ? new MqttPubReplyMessageVariableHeader(packetId, reasonCode, MqttProperties.NO_PROPERTIES)
                : MqttMessageIdVariableHeader.from(packetId);
        write(new MqttMessage(new MqttFixedHeader(type, false, qos, false, 0), header));
    }

    private static int packetId(MqttMessage m) {
        Object h = m.variableHeader();
        return h instanceof MqttMessageIdVariableHeader id ? id.messageId() : 0;
    }

    private static int intProperty(MqttProperties props, MqttPropertyType type, int defaultValue) {
        if (props == null) {
            return defaultValue;
        }
        MqttProperties.MqttProperty<?> p = props.getProperty(type.value());
        return p == null ? defaultValue : (Integer) p.value();
    }

    private static MessageProperties messageProperties(MqttProperties props) {
        // not props.isEmpty(): Netty keeps user properties apart and leaves them out of isEmpty()
        if (props == null || props == MqttProperties.NO_PROPERTIES) {
            return MessageProperties.NONE;
        }
        Integer format = null;
        String contentType = null;
        String responseTopic = null;
        byte[] correlation = null;
        List<UserProperty> users = List.of();
        var pf = props.getProperty(MqttPropertyType.PAYLOAD_FORMAT_INDICATOR.value());
        if (pf != null) {
            format = (Integer) pf.value();
        }
        var ct = props.getProperty(MqttPropertyType.CONTENT_TYPE.value());
        if (ct != null) {
            contentType = (String) ct.value();
        }
        var rt = props.getProperty(MqttPropertyType.RESPONSE_TOPIC.value());
        if (rt != null) {
            responseTopic = (String) rt.value();
        }
        var cd = props.getProperty(MqttPropertyType.CORRELATION_DATA.value());
        if (cd != null) {
            correlation = (byte[]) cd.value();
        }
        var up = props.getProperties(MqttPropertyType.USER_PROPERTY.value());
        if (!up.isEmpty()) {
            List<UserProperty> list = new ArrayList<>();
            for (var p : up) {
                if (p instanceof MqttProperties.UserProperty u) {
                    list.add(new UserProperty(u.value().key, u.value().value));
                } else if (p instanceof MqttProperties.UserProperties us) {
                    for (var pair : us.value()) {
                        list.add(new UserProperty(pair.key, pair.value));
                    }
                }
            }
            users = List.copyOf(list);
        }
        MessageProperties mp = new MessageProperties(format, contentType, responseTopic, correlation, users);
        return mp.isEmpty() ? MessageProperties.NONE : mp;
    }

    public String clientId() {
        return clientId;
    }

    public String username() {
        return username;
    }

    public Channel channel() {
        return channel;
    }
}
