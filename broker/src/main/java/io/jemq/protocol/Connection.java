package io.jemq.protocol;

import io.jemq.access.ClientAcl;
import io.jemq.api.ClientInfo;
import io.jemq.api.DisconnectReason;
import io.jemq.flow.PublisherPause;
import io.jemq.session.Session;
import io.jemq.session.SessionFigures;
import io.jemq.session.SessionRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * One client connection's state, shared by the classes that handle its packets: where it is in its life, who the
 * client is (id, username, protocol version, mountpoint, what its CONNECT asked for and the limits a 5.0 client set),
 * its session, its ACL and the gate that holds packets while an answer is outstanding; and how it ends.
 *
 * <p>Threads: created by the {@link ConnectionHandler} when it joins the pipeline, and touched only on the channel's
 * event loop. Its session is normally owned by the same loop; after a take-over by a connection on another loop,
 * this one only closes. The management view ({@link Clients}) reaches it only through tasks on that loop.
 */
final class Connection {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);
    private static final long REFUSAL_LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    enum State { AWAIT_CONNECT, AUTHENTICATING, CONNECTED, CLOSED }

    final ConnectionServices services;
    final String listenerId;
    final ChannelHandlerContext ctx;
    final Channel channel;
    /** Packets wait here, in order, behind CONNECT authentication or an asynchronous ACL answer. */
    final InboundGate gate;
    final PacketWriter out;
    final LastWill will;
    final ProtocolErrors errors;
    final ConnectFlow connect;
    final PublisherPause pause;
    /** PUBACK / PUBREC / PUBCOMP waiting for the store's commit, in order. */
    final DurableAcks acks;
    /** The connect timeout, then the keepalive. */
    final ReadDeadline deadline;

    State state = State.AWAIT_CONNECT;
    int protocolLevel = 4;
    boolean v5;
    String clientId;
    String username;
    Mountpoint mountpoint = Mountpoint.NONE;
    /** Who the client is, as access control and broker events see it; set once CONNECT is valid. */
    ClientInfo info;
    long connectedAtMillis;
    Session session;
    /** Tells a delayed will whether a newer connection resumed the session. */
    int sessionAttachment;
    ClientAcl acl;
    /** The session expiry the CONNECT asked for (3.1.1: from clean session and mqtt.session.expiry_interval). */
    long connectExpirySeconds;

    // what the 5.0 client told us about itself
    int clientReceiveMaximum = 65535;
    int clientMaxPacketSize;                 // 0 = no limit
    int clientTopicAliasMaximum;

    private DisconnectReason closeReason;
    private long lastRefusalLogNanos;

    Connection(ConnectionServices services, String listenerId, ChannelHandlerContext ctx, InboundGate gate) {
        this.services = services;
        this.listenerId = listenerId;
        this.ctx = ctx;
        this.channel = ctx.channel();
        this.gate = gate;
        this.out = new PacketWriter(this);
        this.will = new LastWill(this);
        this.errors = new ProtocolErrors(this);
        this.connect = new ConnectFlow(this);
        this.pause = new PublisherPause(channel, services.settings().mqueue().maxPause(), () -> clientId);
        this.acks = new DurableAcks(this);
        this.deadline = new ReadDeadline(this);
    }

    /** Whether this connection may act on its session now: connected, and the session is still owned here. */
    boolean ownsSession() {
        return session != null && state == State.CONNECTED && session.loop().inEventLoop();
    }

    /** Closes the socket; the first reason given is the one events and logs report. */
    void close(DisconnectReason reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        if (state == State.AUTHENTICATING || state == State.AWAIT_CONNECT) {
            state = State.CLOSED;
        }
        out.flush();
        channel.close();
    }

    /** Tells a 5.0 client why with DISCONNECT first, then closes. */
    void disconnect(byte reasonCode, String why, DisconnectReason reason) {
        out.sendDisconnect(reasonCode, why);
        close(reason);
    }

    /** Another connection took the session over (or its session ended under it). */
    void takenOver() {
        if (state == State.CLOSED) {
            return;
        }
        log.info("client {} ({}) taken over by a new connection with the same client id", clientId,
                channel.remoteAddress());
        disconnect(ReasonCodes.SESSION_TAKEN_OVER, "session taken over", DisconnectReason.TAKEOVER);
    }

    /** An operator kicked the client (management view). */
    void kick() {
        if (state == State.CLOSED) {
            return;
        }
        log.info("client {} ({}) kicked", clientId, channel.remoteAddress());
        disconnect(ReasonCodes.ADMINISTRATIVE_ACTION, "administrative action", DisconnectReason.KICKED);
    }

    /** The broker is stopping: tell 5.0 clients why, then close (the will is published: not a DISCONNECT). */
    void shutdown() {
        disconnect(ReasonCodes.SERVER_SHUTTING_DOWN, "server shutting down", DisconnectReason.SERVER_SHUTDOWN);
    }

    /**
     * The socket is gone. After a successful CONNECT: the client leaves the registry, listeners hear why, the will
     * goes out unless DISCONNECT cleared it, and the session learns it is offline.
     */
    void closed() {
        State was = state;
        state = State.CLOSED;
        deadline.stop();
        gate.discard();
        pause.forget();
        if (was != State.CONNECTED) {
            will.release();
            return;
        }
        DisconnectReason reason = closeReason == null ? DisconnectReason.CLOSED : closeReason;
        services.clients().remove(this);
        if (services.events().active()) {
            services.events().clientDisconnected(info, reason);
        }
        will.onConnectionLost(closeReason == null ? "connection lost" : closeReason.emqName());
        if (session != null) {
            Session s = session;
            SessionRegistry.runOnOwner(s, () -> s.detach(out));
        }
    }

    /** What a budget refused this client: logged at most once a minute per connection. */
    void logRefusal(String what) {
        long now = System.nanoTime();
        if (lastRefusalLogNanos == 0 || now - lastRefusalLogNanos > REFUSAL_LOG_INTERVAL_NANOS) {
            lastRefusalLogNanos = now;
            log.warn("client {} ({}): {}", clientId, channel.remoteAddress(), what);
        }
    }

    /** What the management view shows; on the event loop. */
    ClientSnapshot snapshot() {
        boolean owned = session != null && session.loop().inEventLoop();
        SessionFigures figures = owned ? session.figures() : null;
        return new ClientSnapshot(clientId, username, info == null ? null : info.peer(), protocolLevel,
                info != null && info.cleanStart(), info == null ? 0 : info.keepalive(), connectedAtMillis,
                listenerId, mountpoint.prefix(), owned ? figures.inflight() : -1,
                owned ? figures.queued() : -1);
    }
}
