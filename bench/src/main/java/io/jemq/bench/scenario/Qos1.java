package io.jemq.bench.scenario;

import io.netty.handler.codec.mqtt.MqttQoS;
import picocli.CommandLine.Command;

/** QoS 1 publishers, each with a window of unacknowledged messages, to QoS 1 subscribers. */
@Command(name = "qos1", mixinStandardHelpOptions = true,
        description = "P QoS 1 publishers, each keeping a window of PUBLISH awaiting PUBACK, -> M QoS 1 subscribers "
                + "(1 by default; -m 16 -n 1 is a QoS 1 fan-out); reports acknowledged messages/s, deliveries/s, "
                + "received and lost.")
public final class Qos1 extends Acknowledged {
    @Override
    MqttQoS qos() {
        return MqttQoS.AT_LEAST_ONCE;
    }
}
