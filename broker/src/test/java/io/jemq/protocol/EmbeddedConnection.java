package io.jemq.protocol;

import io.jemq.codec.PacketFramer;
import io.jemq.config.BrokerSettings;
import io.jemq.transport.HandlerNames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.util.ReferenceCountUtil;

import java.util.HexFormat;

/**
 * One client connection in an {@link EmbeddedChannel}: the broker's MQTT steps (framer, connect timeout, decoder,
 * encoder, flow control, the protocol handler) over real broker services ({@link EmbeddedServices}). Tests feed the
 * bytes a client sends and read the bytes the broker wrote, as hex: {@code c.send("c0 00"); c.received() → "d0 00"}.
 */
final class EmbeddedConnection implements AutoCloseable {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    private final EmbeddedServices services;
    private final EmbeddedChannel channel;

    EmbeddedConnection(EmbeddedServices services) {
        this.services = services;
        BrokerSettings s = services.settings();
        int max = s.mqtt().maxPacketSize();
        this.channel = new EmbeddedChannel();
        channel.pipeline()
                .addLast(HandlerNames.FRAMER, new PacketFramer(max, services.counters(), services.budgets().reads()))
                .addLast(HandlerNames.MQTT_DECODER, new MqttDecoder(max, s.mqtt().maxClientIdLength()))
                .addLast(HandlerNames.MQTT_ENCODER, MqttEncoder.INSTANCE)
                .addLast(HandlerNames.FLOW_CONTROL, new FlowControlHandler())
                .addLast(HandlerNames.CONNECTION, services.newHandler("tcp.test"));
    }

    /** Feeds bytes written as hex ("10 0d 00 04 …"), then runs what the loop has queued. */
    EmbeddedConnection send(String hex) {
        channel.writeInbound(Unpooled.wrappedBuffer(HEX.parseHex(hex.trim().replaceAll("\\s+", " "))));
        channel.runPendingTasks();
        return this;
    }

    /** Everything the broker wrote since the last call, as hex; empty when nothing. */
    String received() {
        services.runPendingTasks();
        StringBuilder out = new StringBuilder();
        Object o;
        while ((o = channel.readOutbound()) != null) {
            try {
                ByteBuf b = (ByteBuf) o;
                byte[] bytes = new byte[b.readableBytes()];
                b.readBytes(bytes);
                if (!out.isEmpty() && bytes.length > 0) {
                    out.append(' ');
                }
                out.append(HEX.formatHex(bytes));
            } finally {
                ReferenceCountUtil.release(o);
            }
        }
        return out.toString();
    }

    boolean isOpen() {
        channel.runPendingTasks();
        return channel.isOpen();
    }

    EmbeddedChannel channel() {
        return channel;
    }

    /** The socket goes away without DISCONNECT. */
    void drop() {
        channel.close();
        channel.runPendingTasks();
        services.runPendingTasks();
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
    }
}
