package io.jemq.protocol;

import io.jemq.codec.PacketFramer;
import io.jemq.config.ListenerSettings;
import io.jemq.config.MqttSettings;
import io.jemq.transport.HandlerNames;
import io.jemq.transport.MqttSteps;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.flow.FlowControlHandler;

/**
 * The MQTT steps of every connection's pipeline, the same for every transport: whole, checked packets, Netty's MQTT
 * codec, and the {@link ConnectionHandler}. The Broker hands it to the listeners; called on
 * each new channel's event loop.
 */
public final class MqttPipeline implements MqttSteps {
    private final ConnectionServices services;
    private final MqttSettings mqtt;

    public MqttPipeline(ConnectionServices services) {
        this.services = services;
        this.mqtt = services.settings().mqtt();
    }

    @Override
    public void addTo(ChannelPipeline p, ListenerSettings listener) {
        p.addLast(HandlerNames.FRAMER, new PacketFramer(mqtt.maxPacketSize(), services.counters(),
                services.budgets().reads()));                                  // whole, checked packets
        p.addLast(HandlerNames.MQTT_DECODER, new MqttDecoder(mqtt.maxPacketSize(), mqtt.maxClientIdLength()));
        p.addLast(HandlerNames.MQTT_ENCODER, MqttEncoder.INSTANCE);                 // stateless, shared
        // One read may hold CONNECT and the packets a client sent right after it, or many PUBLISHes of a publisher
        // paused for a congested subscriber: while auto-read is off they wait here, one handed on per read request
        // (without it a paused publisher's decoded packets keep coming and FlowControlIT's subscriber stalls).
        p.addLast(HandlerNames.FLOW_CONTROL, new FlowControlHandler());
        p.addLast(HandlerNames.CONNECTION, new ConnectionHandler(services, listener.id()));
    }
}
