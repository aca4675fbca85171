package io.jemq.api;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The values of one request's placeholders: who the client is ({@link #of(ClientInfo)}), plus what only some requests
 * know (the password at CONNECT, the access and topic of an ACL check). Immutable: each
 * {@code with...} returns a copy. Made by a backend per request, on whatever thread asks; thread-safe.
 *
 * <p>A value is absent (null) when the client has none, such as {@code %u} for a client that sent no username.
 * Absent values are bound as SQL NULL and rendered as empty text; a backend that must not ask with an empty value
 * (a Redis key {@code mqtt_user:}) checks {@link Template#unfilled} first and answers IGNORE.
 */
public final class PlaceholderValues {
    private static final PlaceholderValues NONE = new PlaceholderValues(new String[Placeholder.values().length]);

    private final String[] values;

    private PlaceholderValues(String[] values) {
        this.values = values;
    }

    /** No value at all. */
    public static PlaceholderValues none() {
        return NONE;
    }

    /** {@code %u %c %a %m %C %d} from the client. */
    public static PlaceholderValues of(ClientInfo client) {
        String[] v = new String[Placeholder.values().length];
        v[Placeholder.USERNAME.ordinal()] = client.username();
        v[Placeholder.CLIENT_ID.ordinal()] = client.clientId();
        v[Placeholder.IP_ADDRESS.ordinal()] = ipAddress(client.peer());
        v[Placeholder.CERT_COMMON_NAME.ordinal()] = client.certCommonName();
        v[Placeholder.CERT_SUBJECT.ordinal()] = client.certSubject();
        String mountpoint = client.mountpoint();
        v[Placeholder.MOUNTPOINT.ordinal()] = mountpoint == null || mountpoint.isEmpty() ? null : mountpoint;
        return new PlaceholderValues(v);
    }

    /** A copy with one value set (null makes it absent). */
    public PlaceholderValues with(Placeholder placeholder, String value) {
        String[] v = Arrays.copyOf(values, values.length);
        v[placeholder.ordinal()] = value;
        return new PlaceholderValues(v);
    }

    /** {@code %P}: the CONNECT's password as UTF-8 text (bytes that are not UTF-8 become U+FFFD); null: absent. */
    public PlaceholderValues withPassword(byte[] password) {
        return with(Placeholder.PASSWORD, password == null ? null : new String(password, StandardCharsets.UTF_8));
    }

    /** {@code %A} and {@code %t} of an ACL check. */
    public PlaceholderValues withCheck(Access access, String topic) {
        String[] v = Arrays.copyOf(values, values.length);
        v[Placeholder.ACCESS.ordinal()] = Integer.toString(access.emqCode());
        v[Placeholder.TOPIC.ordinal()] = topic;
        return new PlaceholderValues(v);
    }

    /** {@code %m}: the mountpoint applied to this client; null or empty: none. */
    public PlaceholderValues withMountpoint(String mountpoint) {
        return with(Placeholder.MOUNTPOINT, mountpoint == null || mountpoint.isEmpty() ? null : mountpoint);
    }

    /** The value, or null when absent. */
    public String get(Placeholder placeholder) {
        return values[placeholder.ordinal()];
    }

    /**
     * An address as {@code %a} shows it: dotted IPv4, or IPv6 in RFC 5952 form (lower case, the longest run of zero
     * groups as {@code ::}, no zone), as EMQ's {@code inet_parse:ntoa} writes it, so it equals what an operator
     * writes in an {@code ipaddr} column. An IPv4-mapped address is its IPv4 form (the JDK makes it one). Null when
     * there is no address.
     */
    public static String ipAddress(InetSocketAddress peer) {
        if (peer == null || peer.getAddress() == null) {
            return null;
        }
        InetAddress address = peer.getAddress();
        return address instanceof Inet6Address ? ipv6(address.getAddress()) : address.getHostAddress();
    }

    private static String ipv6(byte[] b) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;                      // RFC 5952 4.2.2: a single zero group is not shortened
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("PlaceholderValues[");
        for (Placeholder p : Placeholder.values()) {
            if (values[p.ordinal()] != null) {
                // never show the password: values end up in logs
                sb.append(p.token()).append('=').append(p == Placeholder.PASSWORD ? "******" : values[p.ordinal()])
                        .append(' ');
            }
        }
        return sb.toString().strip() + "]";
    }
}
