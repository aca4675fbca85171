package io.jemq.api;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One of EMQ's placeholders, {@code %} and a letter, that a backend's query, command, DN or request parameters may
 * hold: {@link Placeholders} parses templates into their literal text and these slots, and {@link PlaceholderValues}
 * gives each slot its value for one request. Which ones a template may use depends on when it is filled:
 * {@link #AT_CONNECT} for authentication, {@link #AT_ACL_CHECK} for ACL checks.
 */
public enum Placeholder {
    /** {@code %u}: the username; absent when the client sent none. */
    USERNAME('u', "the username"),
    /** {@code %c}: the client id. */
    CLIENT_ID('c', "the client id"),
    /** {@code %a}: the client's IP address, {@code 10.0.0.7} or RFC 5952 IPv6 text ({@code 2001:db8::1}). */
    IP_ADDRESS('a', "the client's IP address"),
    /** {@code %P}: the password as UTF-8 text; only at CONNECT (the broker does not keep it afterwards). */
    PASSWORD('P', "the password"),
    /** {@code %t}: the topic of a PUBLISH, or the filter of a SUBSCRIBE; only in ACL checks. */
    TOPIC('t', "the topic"),
    /** {@code %A}: what an ACL check is about, {@code 1} subscribe or {@code 2} publish; only in ACL checks. */
    ACCESS('A', "the access, 1 subscribe or 2 publish"),
    /** {@code %m}: the listener's mountpoint as applied to this client ({@code %c}, {@code %u} filled in). */
    MOUNTPOINT('m', "the mountpoint"),
    /** {@code %C}: the common name of the client's TLS certificate; absent without one. */
    CERT_COMMON_NAME('C', "the certificate's common name"),
    /** {@code %d}: the subject DN of the client's TLS certificate (RFC 2253); absent without one. */
    CERT_SUBJECT('d', "the certificate's subject");

    /** What a template filled at CONNECT (authentication, superuser) may use: everything but %t and %A. */
    public static final Set<Placeholder> AT_CONNECT = Collections.unmodifiableSet(
            EnumSet.of(USERNAME, CLIENT_ID, IP_ADDRESS, PASSWORD, MOUNTPOINT, CERT_COMMON_NAME, CERT_SUBJECT));
    /** What a template filled for an ACL check may use: everything but %P. */
    public static final Set<Placeholder> AT_ACL_CHECK = Collections.unmodifiableSet(
            EnumSet.of(USERNAME, CLIENT_ID, IP_ADDRESS, TOPIC, ACCESS, MOUNTPOINT, CERT_COMMON_NAME, CERT_SUBJECT));

    private static final Placeholder[] BY_LETTER = new Placeholder[128];

    static {
        for (Placeholder p : values()) {
            BY_LETTER[p.letter] = p;
        }
    }

    private final char letter;
    private final String meaning;

    Placeholder(char letter, String meaning) {
        this.letter = letter;
        this.meaning = meaning;
    }

    /** The letter after the {@code %}. */
    public char letter() {
        return letter;
    }

    /** As written in a template: {@code %u}. */
    public String token() {
        return "%" + letter;
    }

    /** In words, for error messages: "the username". */
    public String meaning() {
        return meaning;
    }

    /** The placeholder written {@code %}{@code letter}, or null when that is no placeholder (it stays literal text). */
    public static Placeholder of(char letter) {
        return letter < BY_LETTER.length ? BY_LETTER[letter] : null;
    }

    /** {@code %u %c %a}: the tokens of {@code set}, in declaration order, for messages. */
    public static String tokens(Set<Placeholder> set) {
        return set.stream().sorted().map(Placeholder::token).collect(Collectors.joining(" "));
    }
}
