package io.jemq.bench.client;

import io.netty.handler.codec.mqtt.MqttVersion;

import java.net.InetSocketAddress;

/**
 * What every connection of a run has in common.
 *
 * @param broker           where to connect
 * @param version          MQTT 3.1.1 or 5.0
 * @param keepAliveSeconds sent in CONNECT; the client pings at half of it, 0 turns both off
 * @param front            TLS and/or WebSocket between the socket and MQTT, or {@link Front#PLAIN}
 * @param username         sent in CONNECT when not null (an auth backend is then asked at every CONNECT)
 * @param password         sent with the username when not null
 * @param persistent       CONNECT with clean session false (5.0: a Session Expiry Interval of one hour), so the broker
 *                         keeps the session: with a disk store its QoS 1/2 messages are written before the PUBACK
 */
public record ClientOptions(InetSocketAddress broker, MqttVersion version, int keepAliveSeconds, Front front,
                            String username, String password, boolean persistent) {
    public ClientOptions(InetSocketAddress broker, MqttVersion version, int keepAliveSeconds, Front front) {
        this(broker, version, keepAliveSeconds, front, null, null, false);
    }
}
