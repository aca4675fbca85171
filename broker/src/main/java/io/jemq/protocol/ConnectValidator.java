package io.jemq.protocol;

import io.jemq.config.MqttSettings;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;

import java.util.UUID;

/**
 * The checks on a decoded CONNECT that come before authentication, per protocol version (EMQ's order: protocol,
 * then client id). Pure: no I/O, no state.
 */
final class ConnectValidator {
    private final MqttSettings settings;

    ConnectValidator(MqttSettings settings) {
        this.settings = settings;
    }

    /** The verdict: accepted with the client id to use (assigned if the client sent none), or a CONNACK code. */
    record Verdict(MqttConnectReturnCode refusal, String clientId, boolean assigned, String reason) {
        boolean accepted() {
            return refusal == null;
        }
    }

    Verdict validate(MqttConnectMessage connect) {
        MqttConnectVariableHeader h = connect.variableHeader();
        int level = h.version();
        boolean v5 = level == 5;
        String id = connect.payload().clientIdentifier();
        if (id == null) {
            id = "";
        }
        if (h.isWillFlag() && h.willQos() > 2 || !h.isWillFlag() && (h.willQos() != 0 || h.isWillRetain())) {
            return refuse(v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_PROTOCOL_ERROR
                    : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, "invalid will flags");
        }
        if (level == 4 && !h.hasUserName() && h.hasPassword()) {
            return refuse(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD,
                    "password without user name");
        }
        if (id.length() > settings.maxClientIdLength()) {
            return refuse(v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID
                    : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
                    "client id longer than mqtt.max_clientid_len (" + settings.maxClientIdLength() + ")");
        }
        if (id.isEmpty()) {
            if (level == 3) {
                return refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
                        "MQTT 3.1 requires a client id");
            }
            if (level == 4 && !h.isCleanSession()) {
                return refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
                        "an empty client id needs clean session");
            }
            return new Verdict(null, "jemq-" + UUID.randomUUID().toString().replace("-", ""), true, null);
        }
        return new Verdict(null, id, false, null);
    }

    private static Verdict refuse(MqttConnectReturnCode code, String reason) {
        return new Verdict(code, null, false, reason);
    }
}
