package io.jemq.bench.scenario;

import io.jemq.bench.client.BenchClient;
import io.jemq.bench.client.PublishTemplate;
import io.netty.handler.codec.mqtt.MqttQoS;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** One QoS 0 publisher, many subscribers on its topic: deliveries a second over all subscribers, and loss. */
@Command(name = "fanout", mixinStandardHelpOptions = true,
        description = "1 QoS 0 publisher -> M subscribers on the same topic; reports deliveries/s and loss.")
public final class FanOut extends Scenario {
    @Option(names = {"-m", "--subscribers"}, defaultValue = "100",
            description = "subscribers (default: ${DEFAULT-VALUE})")
    int subscribers;

    @Option(names = "--payload", defaultValue = "64", description = "payload bytes (default: ${DEFAULT-VALUE})")
    int payload;

    @Option(names = "--batch", defaultValue = "64",
            description = "messages written per flush (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--rate", defaultValue = "0",
            description = "messages/s published; 0 sends as fast as the socket allows (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--max-backlog", defaultValue = "1000",
            description = "most messages sent and not yet received by the slowest subscriber; 0 for no bound "
                    + "(default: ${DEFAULT-VALUE})")
    long maxBacklog;

    @Override
    Result execute() throws InterruptedException {
        String topic = "bench/" + runId + "/fanout";
        List<Receiver> receivers = new ArrayList<>(subscribers);
        for (int i = 0; i < subscribers; i++) {
            receivers.add(new Receiver(1));
        }
        List<BenchClient> subscriberClients = connectAll("s", subscribers, receivers::get);
        subscribeAll(subscriberClients, topic, MqttQoS.AT_MOST_ONCE);

        PublishTemplate template =
                PublishTemplate.of(common.version, topic, MqttQoS.AT_MOST_ONCE, Sequenced.payload(0, payload));
        Qos0Publisher sender =
                new Qos0Publisher(template, batch, rate, maxBacklog, () -> Receiver.slowest(receivers, 0));
        BenchClient publisher = connectAll("p", 1, i -> sender).get(0);
        sender.attach(publisher);
        List<BenchClient> everyone = new ArrayList<>(subscriberClients);
        everyone.add(publisher);

        progress.start(() -> Receiver.total(receivers), "delivery",
                () -> "sent=" + sender.sent() + " delivered=" + Receiver.total(receivers));
        Ticker ticker = new Ticker(List.of(sender));
        ticker.start();
        Window measured = measure(() -> Receiver.total(receivers), () -> { });
        ticker.stop();
        long expected = sender.sent() * subscribers;
        long delivered = drain(() -> Receiver.total(receivers), () -> expected);
        long dropped = lostConnections(everyone);
        disconnectAll(everyone);

        return putCpu(result()
                .put("subscribers", subscribers)
                .put("payload", payload)
                .put("rate", rate > 0 ? String.valueOf((long) rate) : "max")
                .put("max_backlog", maxBacklog)
                .put("duration_s", common.durationSeconds)
                .put("deliveries_per_s", Math.round(measured.perSecond()))
                .put("sent", sender.sent())
                .put("expected", expected)
                .put("received", delivered)
                .put("lost", Math.max(0, expected - delivered))
                .put("lost_connections", dropped), measured);
    }
}
