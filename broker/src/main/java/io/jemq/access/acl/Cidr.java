package io.jemq.access.acl;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** An IPv4 or IPv6 address block ({@code 10.0.0.0/8}, {@code fd00::/8}); a bare address is a block of one. */
public record Cidr(byte[] network, int prefix, String text) {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    // starting with a hex digit or a colon, which InetAddress reads as a literal (from a dot it would ask DNS)
    private static final Pattern IPV6 = Pattern.compile("(?=.*:)[0-9A-Fa-f:][0-9A-Fa-f:.]*");

    /** @throws IllegalArgumentException saying what is wrong; never resolves a host name */
    public static Cidr parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        String address = slash < 0 ? s : s.substring(0, slash);
        boolean v4 = IPV4.matcher(address).matches();
        if (!v4 && !IPV6.matcher(address).matches()) {
            throw new IllegalArgumentException("expected an IP address or CIDR block such as 192.168.0.0/24, got \""
                    + text + "\"");
        }
        byte[] bytes;
        try {
            bytes = v4 ? ipv4(address) : InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException | IllegalArgumentException e) {
            throw new IllegalArgumentException("expected an IP address or CIDR block such as 192.168.0.0/24, got \""
                    + text + "\"");
        }
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("expected a prefix length from 0 to " + bits + " in \"" + text
                        + "\"");
            }
        }
        return new Cidr(mask(bytes, prefix), prefix, s);
    }

    private static byte[] ipv4(String address) {
        String[] parts = address.split("\\.");
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            int v = Integer.parseInt(parts[i]);
            if (v > 255) {
                throw new IllegalArgumentException();
            }
            b[i] = (byte) v;
        }
        return b;
    }

    /** Whether the address is in this block; an IPv4 address never matches an IPv6 block, nor the other way. */
    public boolean contains(InetAddress address) {
        if (address == null) {
            return false;
        }
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            return false;
        }
        byte[] masked = mask(a, prefix);
        return java.util.Arrays.equals(masked, network);
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] &= (byte) (0xFF << (8 - keep));
        }
        return out;
    }
}
