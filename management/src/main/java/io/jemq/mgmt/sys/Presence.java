package io.jemq.mgmt.sys;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.jemq.api.BrokerListener;
import io.jemq.api.ClientInfo;
import io.jemq.api.DisconnectReason;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Executor;

/**
 * EMQ's presence module ({@code module.presence}, {@code emq_mod_presence}): {@code $SYS/brokers/<node>/clients/<id>/
 * connected} and {@code …/disconnected} as JSON, with EMQ's fields. Called on the clients' event loops; the JSON is
 * made and published on the module's thread, so a loop only hands over the (immutable) client info.
 */
final class Presence implements BrokerListener {
    private static final JsonFactory JSON = new JsonFactory();

    private final SysTopics topics;
    private final int qos;
    private final Executor sysThread;

    Presence(SysTopics topics, int qos, Executor sysThread) {
        this.topics = topics;
        this.qos = qos;
        this.sysThread = sysThread;
    }

    @Override
    public void clientConnected(ClientInfo client, int connackCode) {
        long ts = System.currentTimeMillis() / 1000;
        sysThread.execute(() -> publish(client.clientId(), "connected", connected(client, connackCode, ts)));
    }

    @Override
    public void clientDisconnected(ClientInfo client, DisconnectReason reason) {
        long ts = System.currentTimeMillis() / 1000;
        sysThread.execute(() -> publish(client.clientId(), "disconnected", disconnected(client, reason, ts)));
    }

    /**
     * {@code {"clientid","username","ipaddress","clean_sess","protocol","connack","ts"}}; ts in seconds. Written
     * straight to bytes, without a map and the object mapper: one of these goes out per CONNECT.
     */
    static byte[] connected(ClientInfo c, int connack, long ts) {
        return write(g -> {
            g.writeStringField("clientid", c.clientId());
            g.writeStringField("username", c.username());
            g.writeStringField("ipaddress", c.ipAddress());
            g.writeBooleanField("clean_sess", c.cleanStart());
            g.writeNumberField("protocol", c.protocolLevel());
            g.writeNumberField("connack", connack);
            g.writeNumberField("ts", ts);
        });
    }

    /** {@code {"clientid","username","reason","ts"}}; reason as EMQ names it ({@code normal}, {@code closed}...). */
    static byte[] disconnected(ClientInfo c, DisconnectReason reason, long ts) {
        return write(g -> {
            g.writeStringField("clientid", c.clientId());
            g.writeStringField("username", c.username());
            g.writeStringField("reason", reason.emqName());
            g.writeNumberField("ts", ts);
        });
    }

    /** The fields of one JSON object. */
    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] write(Fields fields) {
        ByteArrayBuilder out = new ByteArrayBuilder(160);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);  // writing strings and numbers to memory does not fail
        }
        return out.toByteArray();
    }

    private void publish(String clientId, String event, byte[] payload) {
        if (!SysTopics.isTopicLevel(clientId)) {
            return;                     // a client id with / + # cannot be one level of a topic name
        }
        topics.publish("clients/" + clientId + "/" + event, payload, qos, false);
    }
}
