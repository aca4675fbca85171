package io.jemq.codec;

import io.netty.buffer.ByteBuf;

/**
 * The MQTT rule for UTF-8 string fields (3.1.1 section 1.5.3, 5.0 section 1.5.4): well-formed UTF-8 as RFC 3629
 * defines it (no overlong forms, no UTF-16 surrogates, nothing above U+10FFFF) and no U+0000. Netty's decoder turns
 * ill-formed bytes into U+FFFD, so two different client ids could decode to the same string: the bytes are checked
 * here before anything is decoded.
 */
public final class MqttStrings {
    private MqttStrings() {
    }

    /** @return whether {@code length} bytes of {@code buf} from {@code from} are an acceptable MQTT string */
    public static boolean isWellFormed(ByteBuf buf, int from, int length) {
        int i = from;
        int end = from + length;
        while (i < end) {
            int lead = buf.getByte(i) & 0xFF;
            if (lead < 0x80) {
                if (lead == 0) {
                    return false;                    // U+0000 (MQTT-1.5.3-2, MQTT-1.5.4-2)
                }
                i++;
                continue;
            }
            int more;
            int codePoint;
            if (lead >= 0xC2 && lead <= 0xDF) {      // C0 and C1 can only start overlong forms
                more = 1;
                codePoint = lead & 0x1F;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                more = 2;
                codePoint = lead & 0x0F;
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                more = 3;
                codePoint = lead & 0x07;
            } else {
                return false;                        // a continuation byte first, or F5..FF
            }
            if (end - i <= more) {
                return false;                        // cut short by the end of the field
            }
            for (int k = 1; k <= more; k++) {
                int b = buf.getByte(i + k) & 0xFF;
                if ((b & 0xC0) != 0x80) {
                    return false;
                }
                codePoint = codePoint << 6 | b & 0x3F;
            }
            if (more == 2 && codePoint < 0x800 || more == 3 && codePoint < 0x10000) {
                return false;                        // overlong
            }
            if (codePoint >= 0xD800 && codePoint <= 0xDFFF || codePoint > 0x10FFFF) {
                return false;                        // a surrogate half, or beyond Unicode
            }
            i += more + 1;
        }
        return true;
    }
}
