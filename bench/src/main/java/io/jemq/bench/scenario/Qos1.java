package io.jemq.bench.scenario;

import io.jemq.bench.client.BenchClient;
import io.jemq.bench.client.PublishTemplate;
import io.netty.handler.codec.mqtt.MqttQoS;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** QoS 1 publishers, each with a window of unacknowledged messages, to one QoS 1 subscriber. */
@Command(name = "qos1", mixinStandardHelpOptions = true,
        description = "P QoS 1 publishers, each keeping a window of PUBLISH awaiting PUBACK, -> 1 QoS 1 subscriber; "
                + "reports acknowledged messages/s, received and lost.")
public final class Qos1 extends Scenario {
    @Option(names = {"-n", "--publishers"}, defaultValue = "10", description = "publishers (default: ${DEFAULT-VALUE})")
    int publishers;

    @Option(names = {"-w", "--window"}, defaultValue = "32",
            description = "QoS 1 messages in flight per publisher (default: ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--payload", defaultValue = "64", description = "payload bytes (default: ${DEFAULT-VALUE})")
    int payload;

    @Override
    Result execute() throws InterruptedException {
        String prefix = "bench/" + runId + "/";
        Receiver receiver = new Receiver();
        BenchClient subscriber = connectAll("s", 1, i -> receiver).get(0);
        subscribeAll(List.of(subscriber), prefix + "+", MqttQoS.AT_LEAST_ONCE);

        List<Qos1Publisher> senders = new ArrayList<>(publishers);
        for (int i = 0; i < publishers; i++) {
            PublishTemplate template = PublishTemplate.of(common.version, prefix + i, MqttQoS.AT_LEAST_ONCE,
                    PublishTemplate.filler(payload));
            senders.add(new Qos1Publisher(template, window));
        }
        List<BenchClient> clients = connectAll("p", publishers, senders::get);
        for (int i = 0; i < publishers; i++) {
            senders.get(i).attach(clients.get(i));
        }
        List<BenchClient> everyone = new ArrayList<>(clients);
        everyone.add(subscriber);

        progress.start(() -> Qos1Publisher.totalAcked(senders), "ack",
                () -> "sent=" + Qos1Publisher.totalSent(senders) + " received=" + receiver.received());
        senders.forEach(Qos1Publisher::start);
        Window measured = measure(() -> Qos1Publisher.totalAcked(senders), () -> { });
        Qos1Publisher.stopAll(senders);
        long sent = Qos1Publisher.totalSent(senders);
        long acked = drain(() -> Qos1Publisher.totalAcked(senders), () -> sent);
        long received = drain(receiver::received, () -> sent);
        long dropped = lostConnections(everyone);
        disconnectAll(everyone);

        return putCpu(result()
                .put("publishers", publishers)
                .put("window", window)
                .put("payload", payload)
                .put("duration_s", common.durationSeconds)
                .put("acked_per_s", Math.round(measured.perSecond()))
                .put("sent", sent)
                .put("acked", acked)
                .put("received", received)
                .put("lost", Math.max(0, sent - received))
                .put("duplicates", Math.max(0, received - sent))
                .put("lost_connections", dropped), measured);
    }
}
