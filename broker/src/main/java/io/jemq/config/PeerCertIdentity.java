package io.jemq.config;

/**
 * {@code peer_cert_as_username} / {@code peer_cert_as_clientid}: which part of a verified client certificate
 * replaces the MQTT username or client id before authentication.
 */
public enum PeerCertIdentity {
    /** Keep what the client sent in CONNECT. */
    OFF,
    /** The subject's common name ({@code CN=device-7} gives {@code device-7}). */
    CN,
    /** The whole subject distinguished name, RFC 2253 ({@code CN=device-7,O=Example}). */
    DN
}
