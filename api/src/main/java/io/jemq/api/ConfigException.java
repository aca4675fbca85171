package io.jemq.api;

/** A setting is missing, malformed or out of range; the message names file, line and key. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
