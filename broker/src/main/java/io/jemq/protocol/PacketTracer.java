package io.jemq.protocol;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.mqtt.MqttConnectMessage;

/**
 * The seam packet tracing plugs into ({@code ctl trace client}): it decides which connections are traced and gives
 * each one a handler that the broker puts into that connection's pipeline, right behind the framer, under
 * {@link io.jemq.transport.HandlerNames#TRACE}. There the handler sees every later packet whole, as bytes, both ways
 * (inbound after the framer cut it, outbound as written), and untraced connections carry nothing and pay nothing.
 * Set with {@link Clients#tracer(PacketTracer)}; while none is set a CONNECT costs one volatile read.
 */
public interface PacketTracer {
    /**
     * A CONNECT arrived, before the broker handles it. Called on the connection's event loop: answer at once.
     *
     * @param connect the decoded CONNECT (its client id as sent); the handler may describe it, it must not keep it
     * @return the handler to add to this connection's pipeline, or null to leave it untraced
     */
    ChannelHandler connecting(MqttConnectMessage connect, Channel channel);
}
