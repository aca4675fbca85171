package io.jemq.protocol;

/** Names of the pipeline steps, so steps can be found and replaced (the idle handler becomes the keepalive). */
public final class HandlerNames {
    public static final String LIMITER = "limiter";
    public static final String TRAFFIC = "traffic";
    public static final String SIZE_GUARD = "sizeGuard";
    public static final String IDLE = "idle";
    public static final String MQTT_DECODER = "mqttDecoder";
    public static final String MQTT_ENCODER = "mqttEncoder";
    public static final String CONNECTION = "connection";

    private HandlerNames() {
    }
}
