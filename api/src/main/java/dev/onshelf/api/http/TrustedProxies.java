package dev.onshelf.api.http;

import io.netty.util.NetUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * The reverse proxies whose {@code X-Forwarded-For} is believed ({@code ONSHELF_TRUSTED_PROXIES}: a
 * comma-separated list of CIDR ranges or single addresses). Only IP literals are parsed: nothing here
 * ever looks a name up.
 */
public final class TrustedProxies {
    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    private record Range(byte[] network, int bits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (address[whole] & mask) == (network[whole] & mask);
        }
    }

    private final List<Range> ranges;

    private TrustedProxies(List<Range> ranges) {
        this.ranges = ranges;
    }

    /** Parses {@code "10.0.0.0/8, 192.168.1.7, fd00::/8"}; throws IllegalArgumentException naming a bad entry. */
    public static TrustedProxies parse(String csv) {
        List<Range> out = new ArrayList<>();
        for (String part : csv.split(",")) {
            String entry = part.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int slash = entry.indexOf('/');
            byte[] network = literal(slash < 0 ? entry : entry.substring(0, slash));
            if (network == null) {
                throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR range");
            }
            int bits = network.length * 8;
            if (slash >= 0) {
                String suffix = entry.substring(slash + 1);
                if (!suffix.matches("[0-9]{1,3}") || Integer.parseInt(suffix) > network.length * 8) {
                    throw new IllegalArgumentException("'" + entry + "' has a bad prefix length (at most "
                        + network.length * 8 + ")");
                }
                bits = Integer.parseInt(suffix);
            }
            out.add(new Range(network, bits));
        }
        return new TrustedProxies(List.copyOf(out));
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** Whether {@code address} (4 or 16 bytes) is one of the proxies. */
    public boolean contains(byte[] address) {
        for (Range r : ranges) {
            if (r.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The bytes of an IP literal (4 for IPv4, also for an IPv4-mapped IPv6 address; else 16), or null
     * for anything else (a name, a port, garbage). Never a DNS lookup.
     */
    public static byte[] literal(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        byte[] b = NetUtil.createByteArrayFromIpAddressString(t);
        if (b != null && b.length == 16 && isIpv4Mapped(b)) {
            return java.util.Arrays.copyOfRange(b, 12, 16);
        }
        return b;
    }

    private static boolean isIpv4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }
}
