package io.jemq.bench.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;

import java.nio.charset.StandardCharsets;

/**
 * One PUBLISH frame encoded once, then copied and patched per message. The load generator must out-run the broker on
 * a single core, so the hot path never builds an {@code MqttPublishMessage}: it copies these bytes and sets the packet
 * id and whatever the scenario keeps in the payload (a sequence number, a timestamp).
 */
public final class PublishTemplate {
    private final byte[] frame;
    private final int packetIdOffset;
    private final int payloadOffset;

    private PublishTemplate(byte[] frame, int packetIdOffset, int payloadOffset) {
        this.frame = frame;
        this.packetIdOffset = packetIdOffset;
        this.payloadOffset = payloadOffset;
    }

    /** A PUBLISH of {@code payload} to {@code topic}, not retained, not a duplicate, packet id 1 if QoS > 0. */
    public static PublishTemplate of(MqttVersion version, String topic, MqttQoS qos, byte[] payload) {
        byte[] name = topic.getBytes(StandardCharsets.UTF_8);
        boolean v5 = version == MqttVersion.MQTT_5;
        int idBytes = qos == MqttQoS.AT_MOST_ONCE ? 0 : 2;
        int remaining = 2 + name.length + idBytes + (v5 ? 1 : 0) + payload.length;
        ByteBuf out = Unpooled.buffer(5 + remaining);
        out.writeByte(0x30 | qos.value() << 1);
        writeVarInt(out, remaining);
        out.writeShort(name.length).writeBytes(name);
        int packetIdOffset = out.writerIndex();
        if (idBytes > 0) {
            out.writeShort(1);
        }
        if (v5) {
            out.writeByte(0); // no properties
        }
        int payloadOffset = out.writerIndex();
        out.writeBytes(payload);
        byte[] frame = new byte[out.readableBytes()];
        out.readBytes(frame);
        return new PublishTemplate(frame, idBytes > 0 ? packetIdOffset : -1, payloadOffset);
    }

    /** Printable filler of the given size, for scenarios to write their own fields over. */
    public static byte[] filler(int size) {
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) ('a' + i % 26);
        }
        return payload;
    }

    public int frameSize() {
        return frame.length;
    }

    /** Appends one copy of the frame to {@code out}; returns the index of its payload in {@code out}. */
    public int appendTo(ByteBuf out) {
        int start = out.writerIndex();
        out.writeBytes(frame);
        return start + payloadOffset;
    }

    /** One frame with its packet id set (QoS 1). */
    public ByteBuf render(ByteBufAllocator alloc, int packetId) {
        ByteBuf out = alloc.ioBuffer(frame.length).writeBytes(frame);
        if (packetIdOffset >= 0) {
            out.setShort(packetIdOffset, packetId);
        }
        return out;
    }

    /** One frame with its packet id set and {@code stamp} in the first eight payload bytes. */
    public ByteBuf render(ByteBufAllocator alloc, int packetId, long stamp) {
        if (frame.length - payloadOffset < Long.BYTES) {
            throw new IllegalStateException("payload too small for a timestamp");
        }
        ByteBuf out = render(alloc, packetId);
        out.setLong(payloadOffset, stamp);
        return out;
    }

    static void writeVarInt(ByteBuf out, int value) {
        int v = value;
        do {
            int digit = v & 0x7F;
            v >>>= 7;
            out.writeByte(v > 0 ? digit | 0x80 : digit);
        } while (v > 0);
    }
}
