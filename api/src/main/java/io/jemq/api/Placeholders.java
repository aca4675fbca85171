package io.jemq.api;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * EMQ's placeholders ({@code %u %c %a %P %t %A %m %C %d}, see {@link Placeholder}) as bound values, never as pasted
 * text. A backend parses each configured template once, at load, for where it goes, and per request fills it with a
 * {@link PlaceholderValues}:
 * <ul>
 *   <li>SQL: {@link #sql} gives the query with {@code ?} and the values to bind, in order.</li>
 *   <li>Redis and other argument lists: {@link #command} fills each argument on its own.</li>
 *   <li>LDAP: {@link #template} rendered with {@link #escapeDnValue} (a DN, RFC 4514) or {@link #escapeFilterValue}
 *       (a search filter, RFC 4515).</li>
 *   <li>HTTP: {@link #params} gives a form or query string (URL-encoded) or a JSON object.</li>
 *   <li>Mongo selectors and EMQ 2.x HTTP parameters, where only a whole value is a placeholder:
 *       {@link Template#sole}.</li>
 * </ul>
 * Syntax, everywhere: {@code %} and a placeholder's letter is a slot; {@code %%} is one literal {@code %}; a
 * {@code %} before anything else stays as written. The {@code available} set names what the request will know
 * ({@link Placeholder#AT_CONNECT}, {@link Placeholder#AT_ACL_CHECK}): a template using another is refused at load,
 * since it could only ever be filled with nothing.
 *
 * <p>The parse methods throw {@link IllegalArgumentException} with a message that follows "expected", so a plugin can
 * hand it to {@link Settings#invalid}; {@link #setting} does that for one key. Everything here is stateless and
 * thread-safe; parse at config load, fill on whatever thread a request runs on.
 */
public final class Placeholders {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Placeholders() {
    }

    /** A text with slots: an LDAP DN or filter, a header, a Mongo selector value. */
    public static Template template(String text, Set<Placeholder> available) {
        return Template.parse(text, available);
    }

    /** An SQL query whose placeholders become its {@code ?} parameters ({@link SqlTemplate} for the rules). */
    public static SqlTemplate sql(String query, Set<Placeholder> available) {
        return SqlTemplate.parse(query, available);
    }

    /** A command split on white space into arguments, each filled on its own ({@code HMGET mqtt_user:%u password}). */
    public static CommandTemplate command(String command, Set<Placeholder> available) {
        return CommandTemplate.parse(command, available);
    }

    /** Named parameters, each value a template, in the map's order. */
    public static ParamsTemplate params(Map<String, String> params, Set<Placeholder> available) {
        Map<String, Template> out = new LinkedHashMap<>();
        params.forEach((name, value) -> out.put(name, Template.parse(value, available)));
        return new ParamsTemplate(Collections.unmodifiableMap(out));
    }

    /**
     * Named parameters as EMQ writes them in one key: {@code clientid=%c,username=%u,password=%P} (split on commas,
     * then on the first {@code =}; spaces around names and values are dropped).
     */
    public static ParamsTemplate params(String emqList, Set<Placeholder> available) {
        Map<String, String> params = new LinkedHashMap<>();
        String text = emqList == null ? "" : emqList.strip();
        if (!text.isEmpty()) {
            for (String pair : text.split(",")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? "" : pair.substring(0, eq).strip();
                if (name.isEmpty()) {
                    throw new IllegalArgumentException("name=value pairs separated by commas, such as "
                            + "clientid=%c,username=%u");
                }
                params.put(name, pair.substring(eq + 1).strip());
            }
        }
        return params(params, available);
    }

    /**
     * One setting parsed with one of the methods above: empty when the key is not set (EMQ: a missing query turns
     * that part off); a value that does not parse is a {@link ConfigException} naming file, line and key.
     */
    public static <T> Optional<T> setting(Settings settings, String key, Function<String, T> parse) {
        Optional<String> text = settings.find(key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse.apply(text.get()));
        } catch (IllegalArgumentException e) {
            throw settings.invalid(key, e.getMessage());
        }
    }

    static void requireAvailable(Placeholder p, Set<Placeholder> available) {
        if (!available.contains(p)) {
            throw new IllegalArgumentException("placeholders among " + Placeholder.tokens(available) + " ("
                    + p.token() + ", " + p.meaning() + ", is not known here)");
        }
    }

    /**
     * A value made safe as (part of) an attribute value in an LDAP distinguished name, RFC 4514 2.4: {@code " + , ;
     * < > \ =} get a backslash, as do a leading space or {@code #} and a trailing space; NUL and other control
     * characters become {@code \XX}. {@code a,ou=admins} gives {@code a\,ou\=admins}.
     */
    public static String escapeDnValue(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 8);
        int last = value.length() - 1;
        for (int i = 0; i <= last; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append('\\').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else if ("\"+,;<>\\=".indexOf(c) >= 0 || (i == 0 && (c == ' ' || c == '#')) || (i == last && c == ' ')) {
                sb.append('\\').append(c);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * A value made safe as an assertion value in an LDAP search filter, RFC 4515 3: {@code * ( ) \} and NUL become
     * {@code \2a \28 \29 \5c \00}, so {@code *)(uid=*} matches only that literal text.
     */
    public static String escapeFilterValue(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '*' -> sb.append("\\2a");
                case '(' -> sb.append("\\28");
                case ')' -> sb.append("\\29");
                case '\\' -> sb.append("\\5c");
                case '\0' -> sb.append("\\00");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * RFC 3986 percent-encoding of the UTF-8 bytes: {@code A-Z a-z 0-9 - . _ ~} stay, every other byte is {@code %XX}
     * in upper case (a space is {@code %20}, never {@code +}). What EMQX Edge sends, and safe in a query and in a form.
     */
    public static String urlEncode(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return sb.toString();
    }

    /** {@code a=1&b=x%26y}: names and values URL-encoded, in the map's order; a null value is empty. */
    public static String formEncode(Map<String, String> params) {
        StringBuilder sb = new StringBuilder();
        params.forEach((name, value) -> {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(urlEncode(name)).append('=').append(value == null ? "" : urlEncode(value));
        });
        return sb.toString();
    }

    /** A JSON object of string members in the map's order; a null value is JSON {@code null}. */
    public static String jsonObject(Map<String, String> members) {
        StringBuilder sb = new StringBuilder("{");
        members.forEach((name, value) -> {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append(jsonString(name)).append(':').append(value == null ? "null" : jsonString(value));
        });
        return sb.append('}').toString();
    }

    /**
     * A JSON string literal, quotes included: {@code " \} and control characters escaped, as are U+2028, U+2029 and
     * unpaired surrogates (so the text is valid JSON and valid JavaScript, whatever the value).
     */
    public static String jsonString(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029' || unpairedSurrogate(value, i)) {
                        sb.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf])
                                .append(HEX[c & 0xf]);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static boolean unpairedSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        return Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
    }
}
