package io.jemq.mgmt.trace;

import io.jemq.api.PublishedMessage;
import io.jemq.message.Message;
import io.jemq.routing.Topics;
import io.netty.buffer.ByteBuf;

/**
 * {@code trace topic <Filter> <File>}: every message published to a topic the filter matches, one line each as EMQ
 * writes it ({@code [info] <publisher> PUBLISH to <topic>: <payload>}). Called on the publisher's event loop.
 */
final class TopicTrace {
    private final String filter;
    private final String fileName;
    private final TraceFile file;
    private final TraceWriter writer;
    private final int payloadMax;

    TopicTrace(String filter, String fileName, TraceFile file, TraceWriter writer, int payloadMax) {
        this.filter = filter;
        this.fileName = fileName;
        this.file = file;
        this.writer = writer;
        this.payloadMax = payloadMax;
    }

    String filter() {
        return filter;
    }

    String fileName() {
        return fileName;
    }

    TraceFile file() {
        return file;
    }

    void published(PublishedMessage m) {
        if (!Topics.matches(filter, m.topic())) {
            return;
        }
        int size = m.payloadSize();
        byte[] payload;
        if (m instanceof Message message) {                  // copy only what the line shows
            ByteBuf b = message.payload();
            payload = new byte[Math.min(size, payloadMax)];
            b.getBytes(b.readerIndex(), payload);
        } else {
            payload = m.payloadBytes();
        }
        String from = m.publisherId().isEmpty() ? "broker" : m.publisherId();
        long now = System.currentTimeMillis();
        String topic = m.topic();
        int qos = m.qos();
        boolean retain = m.isRetain();
        writer.offer(new TraceWriter.Line() {
            @Override
            public TraceFile file() {
                return file;
            }

            @Override
            public long timeMillis() {
                return now;
            }

            @Override
            public String text() {
                return "[info] " + from + " PUBLISH to " + topic + " (Q" + qos + ", R" + (retain ? 1 : 0) + "): "
                        + Payloads.show(payload, 0, size, payloadMax);
            }
        });
    }
}
