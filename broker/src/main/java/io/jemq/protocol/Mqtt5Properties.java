package io.jemq.protocol;

import io.jemq.message.Message.MessageProperties;
import io.jemq.message.Message.UserProperty;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;

import java.util.ArrayList;
import java.util.List;

/**
 * MQTT 5.0 properties to and from what the broker keeps: a PUBLISH's or will's properties become the message's
 * {@link MessageProperties}; numeric properties read with a default; the reason string of a refusal. Stateless.
 */
final class Mqtt5Properties {
    private Mqtt5Properties() {
    }

    /** An integer property (byte, two-byte, four-byte or variable integer), or the default when absent. */
    static int intProperty(MqttProperties props, MqttPropertyType type, int defaultValue) {
        if (props == null) {
            return defaultValue;
        }
        MqttProperties.MqttProperty<?> p = props.getProperty(type.value());
        return p == null ? defaultValue : (Integer) p.value();
    }

    /** A four-byte interval property (expiry, will delay) as an unsigned number of seconds; 0 when absent. */
    static long seconds(MqttProperties props, MqttPropertyType type) {
        return intProperty(props, type, 0) & 0xFFFFFFFFL;
    }

    /** Properties holding one Reason String. */
    static MqttProperties reasonString(String reason) {
        MqttProperties props = new MqttProperties();
        props.add(new MqttProperties.StringProperty(MqttPropertyType.REASON_STRING.value(), reason));
        return props;
    }

    /** What a PUBLISH or will carries on to its subscribers: payload format, content type, response, user pairs. */
    static MessageProperties messageProperties(MqttProperties props) {
        // not props.isEmpty(): Netty keeps user properties apart and leaves them out of isEmpty()
        if (props == null || props == MqttProperties.NO_PROPERTIES) {
            return MessageProperties.NONE;
        }
        Integer format = null;
        String contentType = null;
        String responseTopic = null;
        byte[] correlation = null;
        var pf = props.getProperty(MqttPropertyType.PAYLOAD_FORMAT_INDICATOR.value());
        if (pf != null) {
            format = (Integer) pf.value();
        }
        var ct = props.getProperty(MqttPropertyType.CONTENT_TYPE.value());
        if (ct != null) {
            contentType = (String) ct.value();
        }
        var rt = props.getProperty(MqttPropertyType.RESPONSE_TOPIC.value());
        if (rt != null) {
            responseTopic = (String) rt.value();
        }
        var cd = props.getProperty(MqttPropertyType.CORRELATION_DATA.value());
        if (cd != null) {
            correlation = (byte[]) cd.value();
        }
        MessageProperties mp = new MessageProperties(format, contentType, responseTopic, correlation,
                userProperties(props));
        return mp.isEmpty() ? MessageProperties.NONE : mp;
    }

    private static List<UserProperty> userProperties(MqttProperties props) {
        var up = props.getProperties(MqttPropertyType.USER_PROPERTY.value());
        if (up.isEmpty()) {
            return List.of();
        }
        List<UserProperty> list = new ArrayList<>();
        for (var p : up) {
            if (p instanceof MqttProperties.UserProperty u) {
                list.add(new UserProperty(u.value().key, u.value().value));
            } else if (p instanceof MqttProperties.UserProperties us) {
                for (var pair : us.value()) {
                    list.add(new UserProperty(pair.key, pair.value));
                }
            }
        }
        return List.copyOf(list);
    }
}
