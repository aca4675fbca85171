package io.jemq.mgmt.admin;

/**
 * One admin of the HTTP API and dashboard as stored: never the password, its bcrypt hash.
 *
 * @param username     the login name
 * @param passwordHash {@code $2a$...}
 * @param tags         EMQ's free-text tags, such as {@code administrator}
 */
public record Admin(String username, String passwordHash, String tags) {
}
