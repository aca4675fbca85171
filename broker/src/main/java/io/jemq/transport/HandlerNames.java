package io.jemq.transport;

/** Names of the pipeline steps, so steps can be found, added behind and replaced (a trace, the WebSocket frames). */
public final class HandlerNames {
    public static final String TRAFFIC = "traffic";
    // transport fronts, in pipeline order: each listener adds the ones its protocol and options need
    public static final String RATE_LIMIT = "rateLimit";
    public static final String SEND_TIMEOUT = "sendTimeout";
    public static final String PROXY_DECODER = "proxyDecoder";
    public static final String PROXY = "proxy";
    public static final String TLS = "tls";
    public static final String TLS_OUTCOME = "tlsOutcome";
    public static final String HTTP_CODEC = "httpCodec";
    public static final String HTTP_AGGREGATOR = "httpAggregator";
    public static final String WS_UPGRADE = "wsUpgrade";
    /** Takes WS_UPGRADE's place after the upgrade, behind Netty's own "wsdecoder" and "wsencoder". */
    public static final String WS_FRAMES = "wsFrames";
    // the MQTT steps, the same for every transport
    public static final String FRAMER = "framer";
    /** Added behind the framer of a connection that is being traced (protocol/PacketTracer). */
    public static final String TRACE = "trace";
    public static final String MQTT_DECODER = "mqttDecoder";
    public static final String MQTT_ENCODER = "mqttEncoder";
    /** Holds packets decoded after CONNECT, while auto-read is off, until the connection reads again. */
    public static final String FLOW_CONTROL = "flowControl";
    public static final String CONNECTION = "connection";

    private HandlerNames() {
    }
}
