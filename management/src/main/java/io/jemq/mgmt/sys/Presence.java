package io.jemq.mgmt.sys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jemq.api.BrokerListener;
import io.jemq.api.ClientInfo;
import io.jemq.api.DisconnectReason;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * EMQ's presence module ({@code module.presence}, {@code emq_mod_presence}): {@code $SYS/brokers/<node>/clients/<id>/
 * connected} and {@code …/disconnected} as JSON, with EMQ's fields. Called on the clients' event loops; the JSON is
 * made and published on the module's thread, so a loop only hands over the (immutable) client info.
 */
final class Presence implements BrokerListener {
    static final ObjectMapper JSON = new ObjectMapper();

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

    /** {@code {"clientid","username","ipaddress","clean_sess","protocol","connack","ts"}}; ts in seconds. */
    static Map<String, Object> connected(ClientInfo c, int connack, long ts) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clientid", c.clientId());
        m.put("username", c.username());
        m.put("ipaddress", c.ipAddress());
        m.put("clean_sess", c.cleanStart());
        m.put("protocol", c.protocolLevel());
        m.put("connack", connack);
        m.put("ts", ts);
        return m;
    }

    /** {@code {"clientid","username","reason","ts"}}; reason as EMQ names it ({@code normal}, {@code closed}...). */
    static Map<String, Object> disconnected(ClientInfo c, DisconnectReason reason, long ts) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clientid", c.clientId());
        m.put("username", c.username());
        m.put("reason", reason.emqName());
        m.put("ts", ts);
        return m;
    }

    private void publish(String clientId, String event, Map<String, Object> payload) {
        if (!SysTopics.isTopicLevel(clientId)) {
            return;                     // a client id with / + # cannot be one level of a topic name
        }
        topics.publish("clients/" + clientId + "/" + event, json(payload), qos, false);
    }

    static String json(Map<String, Object> payload) {
        try {
            return JSON.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);     // maps of strings and numbers always serialise
        }
    }
}
