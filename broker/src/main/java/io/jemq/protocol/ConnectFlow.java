package io.jemq.protocol;

import io.jemq.access.AuthChain;
import io.jemq.api.AuthResult;
import io.jemq.api.ClientInfo;
import io.jemq.api.DisconnectReason;
import io.jemq.config.BrokerSettings;
import io.jemq.session.Session;
import io.jemq.sys.Counter;
import io.jemq.sys.Stat;
import io.jemq.transport.TransportFacts;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;

/**
 * A connection's life as the client leads it: CONNECT validated, the listener's say applied (certificate identity,
 * mountpoint), authenticated (asynchronously, the gate holding whatever the client sent behind it), the session
 * opened, CONNACK written (or a refusing one); the keepalive armed and enforced; the client's DISCONNECT. Tells the
 * broker's listeners about each CONNECT answered. Event loop only.
 */
final class ConnectFlow {
    private static final Logger log = LoggerFactory.getLogger(ConnectFlow.class);

    private final Connection c;
    private final BrokerSettings settings;
    private final ConnectValidator validator;
    /** The client id the CONNECT named, for events about a refusal before the id was settled. */
    private String requestedClientId;

    ConnectFlow(Connection c) {
        this.c = c;
        this.settings = c.services.settings();
        this.validator = new ConnectValidator(settings.mqtt());
    }

    void onConnect(MqttConnectMessage connect) {
        var header = connect.variableHeader();
        c.protocolLevel = header.version();
        c.v5 = c.protocolLevel == 5;
        requestedClientId = connect.payload().clientIdentifier();
        PacketTracer tracer = c.services.clients().tracer();
        if (tracer != null) {
            Clients.addTraceHandler(c.channel.pipeline(), tracer.connecting(connect, c.channel));
        }
        ConnectValidator.Verdict verdict = validator.validate(connect);
        if (!verdict.accepted()) {
            log.debug("refused CONNECT from {} (client id {}): {}", c.channel.remoteAddress(), requestedClientId,
                    verdict.reason());
            refuse(verdict.refusal(), verdict.reason());
            return;
        }
        // the listener's say: a client certificate may name the client, and the mountpoint scopes its topics
        TransportFacts facts = TransportFacts.of(c.channel);
        c.clientId = facts.clientId(verdict.clientId());
        c.username = facts.username(connect.payload().userName());
        Mountpoint mountpoint = Mountpoint.resolve(facts.mountpoint(), c.clientId, c.username);
        if (mountpoint == null) {
            refuse(c.v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                    : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED,
                    "the listener's mountpoint needs a client id and username without + # / and not empty");
            return;
        }
        c.mountpoint = mountpoint;
        MqttProperties props = header.properties();
        if (c.v5) {
            readClientLimits(props);
        }
        c.connectExpirySeconds = c.v5 ? Mqtt5Properties.seconds(props, MqttPropertyType.SESSION_EXPIRY_INTERVAL)
                : header.isCleanSession() ? 0 : settings.session().expiryInterval().toSeconds();
        c.will.set(connect);
        KeepAlive agreed = KeepAlive.agree(c.v5, header.keepAliveTimeSeconds(), settings.mqtt());
        c.info = new ClientInfo(c.clientId, c.username, facts.peer(c.channel), c.protocolLevel, c.listenerId,
                facts.certCommonName(), facts.certSubject(), facts.headers(), facts.cookies(), mountpoint.prefix(),
                header.isCleanSession(), agreed.seconds());
        byte[] password = connect.payload().passwordInBytes();
        c.state = Connection.State.AUTHENTICATING;
        CompletableFuture<AuthResult> answer;
        try {
            answer = c.services.auth().authenticate(c.info, password).toCompletableFuture();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        boolean assigned = verdict.assigned();
        c.gate.await(answer, (result, error) -> onAuthenticated(result, error, agreed, assigned));
    }

    private void onAuthenticated(AuthResult result, Throwable error, KeepAlive agreed, boolean assignedId) {
        if (c.state != Connection.State.AUTHENTICATING) {
            return;                                          // closed while we waited
        }
        if (error != null) {
            // the outage itself is a WARN once per source (SourceHealth); each client refused meanwhile is one INFO,
            // like any other refusal, so a fleet reconnecting during an outage does not flood the log with warnings
            log.info("refused client {} (user {}) from {}: authentication unavailable ({})", c.clientId, c.username,
                    c.channel.remoteAddress(), error.toString());
            refuse(c.v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5
                    : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE, "authentication unavailable");
            return;
        }
        if (result.decision() != AuthResult.Decision.ALLOW) {
            boolean anonymous = result == AuthChain.NO_MODULE;
            log.info("refused client {} (user {}) from {}: {}", c.clientId, c.username, c.channel.remoteAddress(),
                    result.reason());
            refuse(anonymous
                    ? (c.v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                            : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED)
                    : (c.v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD
                            : MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD), result.reason());
            return;
        }
        c.acl = c.services.access().forClient(c.info, result.superuser(), c.channel.eventLoop());
        c.gate.block();                                     // until the session is ready and CONNACK written
        armKeepAlive(agreed.seconds());
        c.services.sessions().open(c.clientId, c.info.cleanStart(), c.connectExpirySeconds, c.out,
                c.channel.eventLoop(), (s, present) -> onSessionReady(s, present, assignedId, agreed.told()));
    }

    private void onSessionReady(Session s, boolean present, boolean assignedId, int serverKeepAlive) {
        // the fate of a delayed will left for this client id: decided now the session is attached, so that a will
        // the replaced connection registers from here on sees the attach itself (see Wills)
        c.services.wills().onReconnect(c.clientId, present);
        if (c.state != Connection.State.AUTHENTICATING) {
            // the socket closed while the session was being opened: let the session know it is offline
            s.detach(c.out);
            c.will.release();
            return;
        }
        c.session = s;
        c.sessionAttachment = s.attachments();
        c.state = Connection.State.CONNECTED;
        c.connectedAtMillis = System.currentTimeMillis();
        MqttProperties props = c.v5 ? connackProperties(assignedId, serverKeepAlive) : MqttProperties.NO_PROPERTIES;
        c.out.write(new MqttConnAckMessage(new MqttFixedHeader(MqttMessageType.CONNACK, false, MqttQoS.AT_MOST_ONCE,
                false, 0), new MqttConnAckVariableHeader(MqttConnectReturnCode.CONNECTION_ACCEPTED, present, props)));
        c.services.clients().add(c);
        c.services.counters().observe(Stat.CLIENTS, c.services.clients().count());
        if (c.services.events().active()) {
            c.services.events().clientConnected(c.info, 0);
        }
        log.debug("client {} (user {}) connected from {} with MQTT level {}, session {}", c.clientId, c.username,
                c.channel.remoteAddress(), c.protocolLevel, present ? "resumed" : "new");
        s.resume();
        c.gate.drain();                                     // packets sent right behind CONNECT
    }

    private MqttProperties connackProperties(boolean assignedId, int serverKeepAlive) {
        MqttProperties props = new MqttProperties();
        if (assignedId) {
            props.add(new MqttProperties.StringProperty(MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER.value(),
                    c.clientId));
        }
        props.add(new MqttProperties.IntegerProperty(MqttPropertyType.RECEIVE_MAXIMUM.value(),
                Math.min(65535, settings.session().maxAwaitingRel())));
        props.add(new MqttProperties.IntegerProperty(MqttPropertyType.MAXIMUM_PACKET_SIZE.value(),
                settings.mqtt().maxPacketSize()));
        props.add(new MqttProperties.IntegerProperty(MqttPropertyType.TOPIC_ALIAS_MAXIMUM.value(),
                settings.mqtt().maxTopicAlias()));
        if (serverKeepAlive >= 0) {
            props.add(new MqttProperties.IntegerProperty(MqttPropertyType.SERVER_KEEP_ALIVE.value(),
                    serverKeepAlive));
        }
        return props;
    }

    /** Answers CONNECT with a refusal and closes; a 3.1.1 client gets the nearest 3.1.1 code. */
    void refuse(MqttConnectReturnCode code, String reason) {
        c.services.counters().bump(Counter.CONNECTIONS_REFUSED);
        MqttProperties props = c.v5 && reason != null ? Mqtt5Properties.reasonString(reason)
                : MqttProperties.NO_PROPERTIES;
        MqttConnectReturnCode sent = code;
        if (!c.v5 && (code.byteValue() & 0x80) != 0) {
            sent = MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE;
        }
        c.will.release();
        c.state = Connection.State.CLOSED;
        c.out.refuseAndClose(sent, props);
        if (c.services.events().active()) {
            ClientInfo info = c.info != null ? c.info : new ClientInfo(c.clientId != null ? c.clientId
                    : requestedClientId, c.username, TransportFacts.of(c.channel).peer(c.channel), c.protocolLevel,
                    c.listenerId);
            c.services.events().clientConnected(info, sent.byteValue() & 0xFF);
        }
    }

    private void readClientLimits(MqttProperties props) {
        int receiveMax = Mqtt5Properties.intProperty(props, MqttPropertyType.RECEIVE_MAXIMUM, 65535);
        c.clientReceiveMaximum = receiveMax <= 0 ? 65535 : receiveMax;
        c.clientMaxPacketSize = Mqtt5Properties.intProperty(props, MqttPropertyType.MAXIMUM_PACKET_SIZE, 0);
        c.clientTopicAliasMaximum = Mqtt5Properties.intProperty(props, MqttPropertyType.TOPIC_ALIAS_MAXIMUM, 0);
    }

    /** The connect timeout's deadline becomes the keepalive's: 1.5 keepalives by default, none for 0. */
    private void armKeepAlive(int keepAliveSeconds) {
        if (keepAliveSeconds <= 0) {
            c.deadline.stop();
            return;
        }
        double backoff = settings.mqtt().keepaliveBackoff();
        c.deadline.start(Math.max(1, Math.round(keepAliveSeconds * 1000 * backoff * 2)));
    }

    /** Nothing came in time: before CONNECT it is the connect timeout, after it the keepalive. */
    void onIdle() {
        if (c.state == Connection.State.AWAIT_CONNECT || c.state == Connection.State.AUTHENTICATING) {
            log.debug("closing {}: no CONNECT within mqtt.client.idle_timeout", c.channel.remoteAddress());
            c.close(DisconnectReason.CONNECT_TIMEOUT);
        } else {
            log.info("client {} ({}) timed out: no packet within 1.5 × keepalive", c.clientId,
                    c.channel.remoteAddress());
            c.disconnect(ReasonCodes.KEEP_ALIVE_TIMEOUT, "keepalive timeout", DisconnectReason.KEEPALIVE_TIMEOUT);
        }
    }

    /** The client leaves: 5.0 may change the session expiry on the way out, and keep its will with 0x04. */
    void onDisconnect(MqttMessage m) {
        byte reason = 0;
        if (c.v5 && m.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader h) {
            reason = h.reasonCode();
            long expiry = Mqtt5Properties.intProperty(h.properties(), MqttPropertyType.SESSION_EXPIRY_INTERVAL, -1);
            if (expiry != -1) {
                if (c.connectExpirySeconds == 0 && expiry != 0) {
                    c.errors.violation("session expiry set in DISCONNECT after 0 in CONNECT",
                            ReasonCodes.PROTOCOL_ERROR);
                    return;
                }
                if (c.ownsSession()) {
                    c.session.setExpirySeconds(expiry & 0xFFFFFFFFL);
                }
            }
        }
        if (reason != ReasonCodes.DISCONNECT_WITH_WILL) {
            c.will.clear();
        }
        c.close(DisconnectReason.NORMAL);
    }
}
