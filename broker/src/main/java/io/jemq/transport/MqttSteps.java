package io.jemq.transport;

import io.jemq.config.ListenerSettings;
import io.netty.channel.ChannelPipeline;

/**
 * Adds the MQTT steps (framer, connect timeout, decoder, encoder, the protocol handler) behind a listener's
 * transport fronts. The Broker gives it to {@link Listeners}, so the transport knows bytes and sockets and never
 * the protocol. Called by the pipeline builder on the new channel's event loop, once per connection.
 */
@FunctionalInterface
public interface MqttSteps {
    /** Adds the steps at the end of {@code pipeline}, which sees a plain byte stream whatever came before. */
    void addTo(ChannelPipeline pipeline, ListenerSettings listener);
}
