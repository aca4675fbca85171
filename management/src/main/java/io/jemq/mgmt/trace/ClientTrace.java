package io.jemq.mgmt.trace;

import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * {@code trace client <ClientId> <File>}: every packet from and to that client id, whichever connection it comes on,
 * one line each. Its handlers call it on their event loops; it only hands copies to the writer.
 */
final class ClientTrace {
    private final String clientId;
    private final String fileName;
    private final TraceFile file;
    private final TraceWriter writer;
    private final int payloadMax;
    private volatile boolean stopped;

    ClientTrace(String clientId, String fileName, TraceFile file, TraceWriter writer, int payloadMax) {
        this.clientId = clientId;
        this.fileName = fileName;
        this.file = file;
        this.writer = writer;
        this.payloadMax = payloadMax;
    }

    String clientId() {
        return clientId;
    }

    /** The file as the user named it. */
    String fileName() {
        return fileName;
    }

    TraceFile file() {
        return file;
    }

    boolean isStopped() {
        return stopped;
    }

    void stop() {
        stopped = true;
    }

    /** A handler for one connection of this client. */
    PacketTraceHandler handler(SocketAddress peer, int protocolLevel) {
        return new PacketTraceHandler(this, tag(peer), protocolLevel, payloadMax);
    }

    /** EMQ's name for a client in its trace lines: {@code Client(c1@127.0.0.1:53211)}. */
    String tag(SocketAddress peer) {
        if (peer instanceof InetSocketAddress a) {
            return "Client(" + clientId + "@" + a.getAddress().getHostAddress() + ":" + a.getPort() + ")";
        }
        return "Client(" + clientId + ")";
    }

    /** One packet: its first bytes, formatted on the writer thread. */
    void packet(String client, String direction, byte[] bytes, int protocolLevel) {
        long now = System.currentTimeMillis();
        writer.offer(new TraceWriter.Line() {
            @Override
            public TraceFile file() {
                return file;
            }

            @Override
            public long timeMillis() {
                return now;
            }

            @Override
            public String text() {
                return "[debug] " + client + ": " + direction + " "
                        + PacketText.describe(bytes, protocolLevel, payloadMax);
            }
        });
    }

    /** The CONNECT, seen decoded (the handler was added behind it); the password is never shown. */
    void connect(String client, MqttConnectMessage m) {
        MqttConnectVariableHeader h = m.variableHeader();
        MqttConnectPayload p = m.payload();
        StringBuilder sb = new StringBuilder("CONNECT(Q0, R0, D0, ClientId=").append(p.clientIdentifier())
                .append(", ProtoName=").append(h.name()).append(", ProtoVsn=").append(h.version())
                .append(", CleanSess=").append(h.isCleanSession()).append(", KeepAlive=")
                .append(h.keepAliveTimeSeconds()).append(", Username=")
                .append(h.hasUserName() ? p.userName() : "undefined").append(", Password=")
                .append(h.hasPassword() ? "******" : "undefined");
        if (h.isWillFlag()) {
            byte[] will = p.willMessageInBytes() == null ? new byte[0] : p.willMessageInBytes();
            sb.append(", Will(Q").append(h.willQos()).append(", R").append(h.isWillRetain() ? 1 : 0)
                    .append(", Topic=").append(p.willTopic()).append(", Msg=")
                    .append(Payloads.show(will, 0, will.length, payloadMax)).append(')');
        }
        String text = "[debug] " + client + ": RECV " + sb.append(')');
        long now = System.currentTimeMillis();
        writer.offer(new Text(file, now, text));
    }

    /** A line made in full where it happened. */
    record Text(TraceFile file, long timeMillis, String text) implements TraceWriter.Line {
    }
}
