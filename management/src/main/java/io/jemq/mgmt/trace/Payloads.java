package io.jemq.mgmt.trace;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Shows bytes safely on one line of a trace file: as text when they are UTF-8 without control characters, otherwise
 * as {@code hex:0a1bff…}; cut at a set size, saying how many bytes there were. Writer thread.
 */
final class Payloads {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Payloads() {
    }

    /**
     * @param bytes  what was copied (maybe only the start)
     * @param from   where the payload starts in {@code bytes}
     * @param total  the payload's whole length
     * @param max    how many bytes to show at most
     */
    static String show(byte[] bytes, int from, int total, int max) {
        int shown = Math.max(0, Math.min(Math.min(total, max), bytes.length - from));
        String text = text(bytes, from, shown);
        StringBuilder sb = new StringBuilder(shown * 2 + 24);
        if (text != null) {
            sb.append(text);
        } else {
            sb.append("hex:");
            for (int i = from; i < from + shown; i++) {
                sb.append(HEX[(bytes[i] >> 4) & 0xF]).append(HEX[bytes[i] & 0xF]);
            }
        }
        if (shown < total) {
            sb.append("...(").append(total).append(" bytes)");
        }
        return sb.toString();
    }

    /** The bytes as text, or null when they are not UTF-8 or hold a control character (a cut character is text). */
    private static String text(byte[] bytes, int from, int length) {
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, cutAtCharacter(bytes, from, length))).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                return null;
            }
        }
        return s;
    }

    /** A length that does not end inside a UTF-8 sequence, so a cut is not mistaken for binary. */
    private static int cutAtCharacter(byte[] bytes, int from, int length) {
        int end = from + length;
        int back = end;
        while (back > from && back > end - 4 && (bytes[back - 1] & 0xC0) == 0x80) {
            back--;
        }
        if (back > from && back > end - 4 && (bytes[back - 1] & 0xC0) == 0xC0) {
            int lead = bytes[back - 1] & 0xFF;
            int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
            if (end - (back - 1) < need) {
                return back - 1 - from;
            }
        }
        return length;
    }
}
