package io.jemq.config;

import java.util.Optional;

/**
 * The WebSocket part of a {@code ws} or {@code wss} listener.
 *
 * @param path               {@code .mqtt_path} (EMQX's name; EMQ 2.x always used {@code /mqtt}): the upgrade path;
 *                           any other path answers 404
 * @param protocolHeader     {@code mqtt.websocket_protocol_header} (on): the upgrade must ask for a subprotocol that
 *                           starts with {@code mqtt}, otherwise 400 "Bad WebSocket Protocol" (EMQ's rule)
 * @param proxyAddressHeader {@code .proxy_address_header}, e.g. {@code X-Forwarded-For}: the client's address as a
 *                           reverse proxy reports it (the first entry); empty = the socket's peer
 * @param proxyPortHeader    {@code .proxy_port_header}, e.g. {@code X-Forwarded-Port}
 */
public record WebSocketSettings(
        String path,
        boolean protocolHeader,
        Optional<String> proxyAddressHeader,
        Optional<String> proxyPortHeader) {

    public static final String DEFAULT_PATH = "/mqtt";

    static final String EXPECTED_PATH = "a path starting with /, such as /mqtt";

    static String parsePath(String text) {
        return text.startsWith("/") && !text.contains(" ") && !text.contains("?") ? text : null;
    }
}
