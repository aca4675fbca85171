package io.jemq.bench.scenario;

import io.netty.handler.codec.mqtt.MqttQoS;
import picocli.CommandLine.Command;

/** QoS 2 publishers, each with a window of messages awaiting PUBCOMP, to QoS 2 subscribers. */
@Command(name = "qos2", mixinStandardHelpOptions = true,
        description = "P QoS 2 publishers, each keeping a window of PUBLISH awaiting PUBCOMP, -> M QoS 2 subscribers; "
                + "reports completed messages/s (acked_per_s), deliveries/s, received and lost.")
public final class Qos2 extends Acknowledged {
    @Override
    MqttQoS qos() {
        return MqttQoS.EXACTLY_ONCE;
    }
}
