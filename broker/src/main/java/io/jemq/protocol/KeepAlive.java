package io.jemq.protocol;

import io.jemq.config.MqttSettings;

/**
 * The keepalive a connection is held to, and what its CONNACK says about it. {@code mqtt.server_keepalive} (EMQX 5)
 * replaces a 5.0 client's value outright, so it wins when both keys are set; {@code mqtt.max_keepalive} (Mosquitto)
 * caps the others, a client asking for none (0) included, since an uncapped silent client is what the cap is for.
 * A 3.1 / 3.1.1 CONNACK cannot carry Server Keep Alive, so such a client is held to the cap without being told.
 *
 * @param seconds what the broker enforces (times {@code mqtt.keepalive_backoff} × 2); 0 = no keepalive at all
 * @param told    the Server Keep Alive a 5.0 CONNACK carries, or -1 for none (the client's own value holds)
 */
record KeepAlive(int seconds, int told) {

    static KeepAlive agree(boolean v5, int asked, MqttSettings mqtt) {
        int server = (int) mqtt.serverKeepalive().toSeconds();
        if (v5 && server > 0) {
            return new KeepAlive(server, server);
        }
        int cap = (int) mqtt.maxKeepalive().toSeconds();
        if (cap > 0 && (asked == 0 || asked > cap)) {
            return new KeepAlive(cap, v5 ? cap : -1);
        }
        return new KeepAlive(asked, -1);
    }
}
