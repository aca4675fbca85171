package io.jemq.mgmt.trace;

import io.jemq.Broker;
import io.jemq.api.BrokerListener;
import io.jemq.api.PublishedMessage;
import io.jemq.protocol.PacketTracer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The running traces. Costs nothing while nothing is traced: it is the broker's {@link PacketTracer} only while a
 * client is traced (otherwise a CONNECT reads one null), and a {@link BrokerListener} only while a topic is.
 * Started and stopped from the control thread (synchronized); asked on the event loops (lock-free reads).
 */
final class Tracer implements PacketTracer, BrokerListener {
    private static final Logger log = LoggerFactory.getLogger(Tracer.class);
    private static final TopicTrace[] NONE = {};

    /** What a trace command answers: EMQ's texts. */
    record Outcome(boolean ok, String message) {
    }

    private final Broker broker;
    private final TraceSettings settings;
    private final TraceWriter writer;
    private final Map<String, ClientTrace> clients = new ConcurrentHashMap<>();
    private volatile TopicTrace[] topics = NONE;

    Tracer(Broker broker, TraceSettings settings) {
        this.broker = broker;
        this.settings = settings;
        this.writer = new TraceWriter(settings.queueSize());
    }

    @Override
    public ChannelHandler connecting(MqttConnectMessage connect, Channel channel) {
        ClientTrace trace = clients.get(connect.payload().clientIdentifier());
        if (trace == null) {
            return null;
        }
        PacketTraceHandler handler = trace.handler(channel.remoteAddress(), connect.variableHeader().version());
        trace.connect(trace.tag(channel.remoteAddress()), connect);
        return handler;
    }

    @Override
    public void messagePublished(PublishedMessage message) {
        for (TopicTrace t : topics) {
            t.published(message);
        }
    }

    synchronized Outcome startClient(String clientId, String fileName) {
        if (clients.containsKey(clientId)) {
            return new Outcome(false, "trace client " + clientId + " error: already_traced");
        }
        TraceFile file;
        try {
            file = open(fileName);
        } catch (IOException e) {
            return new Outcome(false, "trace client " + clientId + " error: " + e);
        }
        ClientTrace trace = new ClientTrace(clientId, fileName, file, writer, settings.payloadMax());
        clients.put(clientId, trace);
        broker.clients().tracer(this);
        join(broker.clients().startTrace(clientId, c -> trace.handler(c.peer(), c.protocolLevel())));
        return new Outcome(true, "trace client " + clientId + " successfully.");
    }

    synchronized Outcome stopClient(String clientId) {
        ClientTrace trace = clients.remove(clientId);
        if (trace == null) {
            return new Outcome(false, "stop tracing client " + clientId + " error: not_found.");
        }
        trace.stop();
        if (clients.isEmpty()) {
            broker.clients().tracer(null);
        }
        join(broker.clients().stopTrace(clientId));
        writer.closeLater(trace.file());
        return new Outcome(true, "stop tracing client " + clientId + " successfully.");
    }

    synchronized Outcome startTopic(String filter, String fileName) {
        if (Arrays.stream(topics).anyMatch(t -> t.filter().equals(filter))) {
            return new Outcome(false, "trace topic " + filter + " error: already_traced");
        }
        TraceFile file;
        try {
            file = open(fileName);
        } catch (IOException e) {
            return new Outcome(false, "trace topic " + filter + " error: " + e);
        }
        boolean first = topics.length == 0;
        TopicTrace[] next = Arrays.copyOf(topics, topics.length + 1);
        next[next.length - 1] = new TopicTrace(filter, fileName, file, writer, settings.payloadMax());
        topics = next;
        if (first) {
            broker.events().add(this);
        }
        return new Outcome(true, "trace topic " + filter + " successfully.");
    }

    synchronized Outcome stopTopic(String filter) {
        TopicTrace found = Arrays.stream(topics).filter(t -> t.filter().equals(filter)).findFirst().orElse(null);
        if (found == null) {
            return new Outcome(false, "stop tracing topic " + filter + " error: not_found.");
        }
        topics = Arrays.stream(topics).filter(t -> t != found).toArray(TopicTrace[]::new);
        if (topics.length == 0) {
            broker.events().remove(this);
        }
        writer.closeLater(found.file());
        return new Outcome(true, "stop tracing topic " + filter + " successfully.");
    }

    /** {@code trace list}: {@code trace client <id> -> <file>} and {@code trace topic <filter> -> <file>}. */
    synchronized List<String[]> list() {
        List<String[]> all = new ArrayList<>();
        clients.values().stream().sorted((a, b) -> a.clientId().compareTo(b.clientId()))
                .forEach(c -> all.add(new String[]{"client", c.clientId(), c.fileName()}));
        for (TopicTrace t : topics) {
            all.add(new String[]{"topic", t.filter(), t.fileName()});
        }
        return all;
    }

    long dropped() {
        return writer.dropped();
    }

    private TraceFile open(String fileName) throws IOException {
        TraceFile file = new TraceFile(Path.of(fileName), settings.fileSize(), settings.fileCount());
        file.open();
        return file;
    }

    private static void join(CompletableFuture<Boolean> f) {
        try {
            f.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("trace: the client's loop did not answer: {}", e.toString());
        }
    }

    /** The broker is stopping: every trace ends, what is queued is written, the files are closed. */
    synchronized void close() {
        broker.clients().tracer(null);
        if (topics.length > 0) {
            broker.events().remove(this);
        }
        for (ClientTrace c : clients.values()) {
            c.stop();
            writer.closeLater(c.file());
        }
        for (TopicTrace t : topics) {
            writer.closeLater(t.file());
        }
        clients.clear();
        topics = NONE;
        writer.close();
    }
}
