package io.jemq.auth.sql;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The address block of an ACL row's {@code ipaddr} column: {@code 10.0.0.7}, {@code 10.0.0.0/8}, {@code fd00::/8}
 * (a bare address is a block of one, as EMQ's {@code esockd_cidr:parse(CIDR, true)}). Immutable.
 */
final class IpBlock {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    // only literals: InetAddress would ask DNS for anything else, and a row must never make the broker resolve names
    private static final Pattern IPV6 = Pattern.compile("(?=.*:)[0-9A-Fa-f:][0-9A-Fa-f:.]*");

    private final byte[] network;
    private final int prefix;

    private IpBlock(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /** The block, or null when the text is no address or CIDR block (such a row matches nobody). */
    static IpBlock parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        String address = slash < 0 ? s : s.substring(0, slash);
        if (!IPV4.matcher(address).matches() && !IPV6.matcher(address).matches()) {
            return null;
        }
        try {
            byte[] bytes = InetAddress.getByName(address).getAddress();
            int bits = bytes.length * 8;
            int prefix = slash < 0 ? bits : Integer.parseInt(s.substring(slash + 1));
            return prefix < 0 || prefix > bits ? null : new IpBlock(mask(bytes, prefix), prefix);
        } catch (UnknownHostException | NumberFormatException e) {
            return null;
        }
    }

    /** Whether the address is in the block; an IPv4 address is never in an IPv6 block, nor the other way. */
    boolean contains(InetAddress address) {
        return address != null && address.getAddress().length == network.length
                && Arrays.equals(mask(address.getAddress(), prefix), network);
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
