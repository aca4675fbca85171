package io.jemq.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * One {@code listener.<protocol>.<name>.access.N} rule in esockd's syntax: {@code allow all}, {@code deny all},
 * {@code allow 192.168.0.0/24}, {@code deny 10.0.0.1}, {@code allow 2001:db8::/32}. A listener tries its rules in the
 * order of N; the first rule that matches the peer's address decides, and an address no rule matches is allowed
 * (esockd's {@code nomatch}).
 *
 * @param allow        allow or deny
 * @param network      the network's address, or null for {@code all}
 * @param prefixLength the CIDR prefix length (32 or 128 for a single address)
 */
public record AccessRule(boolean allow, InetAddress network, int prefixLength) {
    public static final String EXPECTED = "allow or deny, then all or an address or CIDR such as 192.168.0.0/24";

    /** EMQ's default, {@code access.1 = allow all}. */
    public static final AccessRule ALLOW_ALL = new AccessRule(true, null, 0);

    /** The rule, or null when the text is not one. */
    public static AccessRule parse(String text) {
        String[] parts = text.trim().split("\\s+");
        if (parts.length != 2 || !(parts[0].equals("allow") || parts[0].equals("deny"))) {
            return null;
        }
        boolean allow = parts[0].equals("allow");
        if (parts[1].equals("all")) {
            return new AccessRule(allow, null, 0);
        }
        String[] cidr = parts[1].split("/", -1);
        if (cidr.length > 2 || !isLiteral(cidr[0])) {
            return null;                          // a literal only: a host name would need a DNS lookup here
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(cidr[0]);
        } catch (UnknownHostException e) {
            return null;
        }
        int bits = address.getAddress().length * 8;
        int prefix = bits;
        if (cidr.length == 2) {
            if (!cidr[1].matches("\\d{1,3}") || Integer.parseInt(cidr[1]) > bits) {
                return null;
            }
            prefix = Integer.parseInt(cidr[1]);
        }
        return new AccessRule(allow, address, prefix);
    }

    /**
     * Whether {@link InetAddress#getByName} reads the text as an address literal. It asks DNS for anything else, also
     * for text of hex digits, dots and colons such as {@code cafe}, {@code 1.2.3.4.5}, {@code 300.1.1.1} or
     * {@code .:1}: IPv4 must be a dotted quad, and IPv6 must start the way an IPv6 literal does.
     */
    static boolean isLiteral(String text) {
        if (text.indexOf(':') >= 0) {
            return text.matches("[0-9A-Fa-f:][0-9A-Fa-f:.]*");
        }
        if (!text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return false;
        }
        for (String octet : text.split("\\.")) {
            if (Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    /** Whether this rule is about {@code peer} (its address is in the network, or the rule is {@code all}). */
    public boolean matches(InetAddress peer) {
        if (network == null) {
            return true;
        }
        byte[] want = network.getAddress();
        byte[] have = comparable(peer, want.length);
        if (have == null) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (want[i] != have[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xFF << (8 - rest) & 0xFF;
        return (want[full] & mask) == (have[full] & mask);
    }

    /** The peer's bytes in the rule's family; an IPv4 client on a dual-stack socket shows as ::ffff:a.b.c.d. */
    private static byte[] comparable(InetAddress peer, int length) {
        byte[] b = peer.getAddress();
        if (b.length == length) {
            return b;
        }
        if (length == 4 && peer instanceof Inet6Address && isV4Mapped(b)) {
            return new byte[]{b[12], b[13], b[14], b[15]};
        }
        if (length == 16 && peer instanceof Inet4Address) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xFF;
            mapped[11] = (byte) 0xFF;
            System.arraycopy(b, 0, mapped, 12, 4);
            return mapped;
        }
        return null;
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xFF && b[11] == (byte) 0xFF;
    }

    /** The first matching rule decides; no match allows (esockd). */
    public static boolean allows(List<AccessRule> rules, InetAddress peer) {
        for (AccessRule r : rules) {
            if (r.matches(peer)) {
                return r.allow;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return (allow ? "allow " : "deny ") + (network == null ? "all" : network.getHostAddress() + "/" + prefixLength);
    }
}
