package io.jemq.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The value of a {@code listener.<protocol>.<name>} line: {@code 1883}, {@code 0.0.0.0:1883}, {@code 127.0.0.1:0},
 * {@code localhost:1883}, {@code [::1]:1883} or EMQ's unbracketed {@code ::1:1883} (the port is after the last colon).
 *
 * @param host the bind address without brackets; {@code 0.0.0.0} for a bare port
 */
public record ListenerAddress(String host, int port) {
    public static final String EXPECTED =
            "[host:]port with a port from 0 to 65535, such as 1883, 0.0.0.0:1883 or [::1]:1883";

    /** The address, or null when the text is not one. */
    public static ListenerAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        String host = colon < 0 ? "0.0.0.0" : text.substring(0, colon);
        Integer port = port(text.substring(colon + 1));
        if (port == null || host.isEmpty()) {
            return null;
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
            if (!host.contains(":")) {
                return null;
            }
        }
        if (host.contains(":") ? !isIpv6Literal(host) : !host.matches("[A-Za-z0-9.-]+")) {
            return null;
        }
        return new ListenerAddress(host, port);
    }

    private static Integer port(String text) {
        if (!text.matches("\\d{1,5}")) {
            return null;
        }
        int port = Integer.parseInt(text);
        return port <= 65535 ? port : null;
    }

    // A text with a colon is taken as an IPv6 literal, which InetAddress parses without a DNS lookup when it starts
    // with a hex digit or a colon (anything else, g:1 say, it would look up).
    private static boolean isIpv6Literal(String host) {
        if (!host.matches("[0-9A-Fa-f:][0-9A-Fa-f:.%\\w]*")) {
            return false;
        }
        try {
            InetAddress.getByName(host);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
