package io.jemq.bench.scenario;

import io.jemq.bench.client.BenchClient;
import io.jemq.bench.client.PublishTemplate;
import io.netty.handler.codec.mqtt.MqttQoS;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** Many QoS 0 publishers, one wildcard subscriber: the messages a second it receives, and those it never gets. */
@Command(name = "fanin", mixinStandardHelpOptions = true,
        description = "N QoS 0 publishers -> 1 subscriber on a wildcard filter; reports messages/s received and loss.")
public final class FanIn extends Scenario {
    @Option(names = {"-n", "--publishers"}, defaultValue = "100",
            description = "publishers (default: ${DEFAULT-VALUE})")
    int publishers;

    @Option(names = "--payload", defaultValue = "64", description = "payload bytes (default: ${DEFAULT-VALUE})")
    int payload;

    @Option(names = "--batch", defaultValue = "64",
            description = "messages written per flush (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--rate", defaultValue = "0",
            description = "total messages/s over all publishers; 0 sends as fast as the sockets allow "
                    + "(default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--max-backlog", defaultValue = "1000",
            description = "per publisher, most messages sent and not yet received; 0 for no bound "
                    + "(default: ${DEFAULT-VALUE})")
    long maxBacklog;

    @Override
    Result execute() throws InterruptedException {
        String prefix = "bench/" + runId + "/";
        Receiver receiver = new Receiver(publishers);
        BenchClient subscriber = connectAll("s", 1, i -> receiver).get(0);
        subscribeAll(List.of(subscriber), prefix + "+", MqttQoS.AT_MOST_ONCE);

        List<Qos0Publisher> senders = new ArrayList<>(publishers);
        for (int i = 0; i < publishers; i++) {
            PublishTemplate template = PublishTemplate.of(
                    common.version, prefix + i, MqttQoS.AT_MOST_ONCE, Sequenced.payload(i, payload));
            int publisher = i;
            senders.add(new Qos0Publisher(template, batch, rate / publishers, maxBacklog,
                    () -> receiver.reached(publisher)));
        }
        List<BenchClient> clients = connectAll("p", publishers, senders::get);
        for (int i = 0; i < publishers; i++) {
            senders.get(i).attach(clients.get(i));
        }
        List<BenchClient> everyone = new ArrayList<>(clients);
        everyone.add(subscriber);

        progress.start(receiver::received, "msg",
                () -> "sent=" + Qos0Publisher.total(senders) + " received=" + receiver.received());
        Ticker ticker = new Ticker(senders);
        ticker.start();
        Window measured = measure(receiver::received, () -> { });
        ticker.stop();
        long sent = Qos0Publisher.total(senders);
        long received = drain(receiver::received, () -> sent);
        long dropped = lostConnections(everyone);
        disconnectAll(everyone);

        return putCpu(result()
                .put("publishers", publishers)
                .put("payload", payload)
                .put("rate", rate > 0 ? String.valueOf((long) rate) : "max")
                .put("max_backlog", maxBacklog)
                .put("duration_s", common.durationSeconds)
                .put("msgs_per_s", Math.round(measured.perSecond()))
                .put("sent", sent)
                .put("received", received)
                .put("lost", Math.max(0, sent - received))
                .put("lost_connections", dropped), measured);
    }
}
