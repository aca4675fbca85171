package io.jemq.bench.scenario;

import io.jemq.bench.client.BenchClient;
import io.jemq.bench.client.PublishTemplate;
import io.netty.handler.codec.mqtt.MqttQoS;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/**
 * Publishers at QoS 1 or 2, each with a window of messages awaiting their acknowledgement, to subscribers at the same
 * QoS: each subscriber gets every message. {@link Qos1} and {@link Qos2} name the two.
 */
abstract class Acknowledged extends Scenario {
    @Option(names = {"-n", "--publishers"}, defaultValue = "10", description = "publishers (default: ${DEFAULT-VALUE})")
    int publishers;

    @Option(names = {"-m", "--subscribers"}, defaultValue = "1",
            description = "subscribers, each getting every message (default: ${DEFAULT-VALUE})")
    int subscribers;

    @Option(names = {"-w", "--window"}, defaultValue = "32",
            description = "messages in flight per publisher (default: ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--payload", defaultValue = "64", description = "payload bytes (default: ${DEFAULT-VALUE})")
    int payload;

    abstract MqttQoS qos();

    @Override
    Result execute() throws InterruptedException {
        String prefix = "bench/" + runId + "/";
        List<Receiver> receivers = new ArrayList<>(subscribers);
        for (int i = 0; i < subscribers; i++) {
            receivers.add(new Receiver());
        }
        List<BenchClient> subscriberClients = connectAll("s", subscribers, receivers::get);
        subscribeAll(subscriberClients, prefix + "+", qos());

        List<WindowPublisher> senders = new ArrayList<>(publishers);
        for (int i = 0; i < publishers; i++) {
            PublishTemplate template = PublishTemplate.of(common.version, prefix + i, qos(),
                    PublishTemplate.filler(payload));
            senders.add(new WindowPublisher(template, window));
        }
        List<BenchClient> clients = connectAll("p", publishers, senders::get);
        for (int i = 0; i < publishers; i++) {
            senders.get(i).attach(clients.get(i));
        }
        List<BenchClient> everyone = new ArrayList<>(clients);
        everyone.addAll(subscriberClients);

        progress.start(() -> WindowPublisher.totalAcked(senders), "ack",
                () -> "sent=" + WindowPublisher.totalSent(senders) + " received=" + Receiver.total(receivers));
        senders.forEach(WindowPublisher::start);
        Window measured = measure(() -> WindowPublisher.totalAcked(senders), () -> { });
        WindowPublisher.stopAll(senders);
        long sent = WindowPublisher.totalSent(senders);
        long acked = drain(() -> WindowPublisher.totalAcked(senders), () -> sent);
        long expected = sent * subscribers;
        long received = drain(() -> Receiver.total(receivers), () -> expected);
        long dropped = lostConnections(everyone);
        disconnectAll(everyone);

        return putCpu(result()
                .put("qos", qos().value())
                .put("publishers", publishers)
                .put("subscribers", subscribers)
                .put("window", window)
                .put("payload", payload)
                .put("duration_s", common.durationSeconds)
                .put("acked_per_s", Math.round(measured.perSecond()))
                .put("deliveries_per_s", Math.round(measured.perSecond() * subscribers))
                .put("sent", sent)
                .put("acked", acked)
                .put("received", received)
                .put("lost", Math.max(0, expected - received))
                .put("duplicates", Math.max(0, received - expected))
                .put("lost_connections", dropped), measured);
    }
}
