package dev.onshelf.api.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Which addresses a webhook may call: only globally routable unicast ones. Everything else — IPv4
 * 0/8, private (10/8, 172.16/12, 192.168/16), shared (100.64/10), loopback, link-local, the IETF and
 * documentation blocks, benchmarking (198.18/15), multicast and reserved (224/3, broadcast); IPv6
 * outside 2000::/3 (so ::, ::1, IPv4-compatible and NAT64 forms, fc00::/7, fe80::/10, multicast) and
 * the special blocks inside it (2001::/23, 2001:db8::/32, 2002::/16 6to4, 3fff::/20) — is refused.
 * An IPv4-mapped IPv6 address is judged as the IPv4 address it carries. Pure; resolution blocks.
 */
public final class CallbackAddresses {
    private CallbackAddresses() {
    }

    /** A callback host that resolves to an address a webhook may not call. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Resolves {@code host} (blocking: never on an event loop) and checks every address it has, not
     * only the first; the caller connects to one of the returned addresses, so a second resolution
     * (DNS rebinding) cannot swap a checked address for another.
     */
    public static List<InetAddress> resolve(String host, boolean allowPrivate) throws UnknownHostException, Refused {
        InetAddress[] all = InetAddress.getAllByName(host);
        if (!allowPrivate) {
            for (InetAddress a : all) {
                if (!isGlobal(a)) {
                    throw new Refused("callback host " + host + " resolves to a non-public address");
                }
            }
        }
        return List.of(all);
    }

    /** Whether an address is globally routable unicast: the only kind a webhook may call. */
    public static boolean isGlobal(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return isGlobalV4(b);
        }
        if (address instanceof Inet6Address) {
            return isGlobalV6(b);
        }
        return false;
    }

    static boolean isGlobalV4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        return !(a0 == 0                                 // 0/8 "this network"
            || a0 == 10                                   // private
            || a0 == 100 && (a1 & 0xc0) == 64             // 100.64/10 shared (carrier-grade NAT)
            || a0 == 127                                  // loopback
            || a0 == 169 && a1 == 254                     // link-local (cloud metadata)
            || a0 == 172 && (a1 & 0xf0) == 16             // private
            || a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2)  // IETF protocol assignments, TEST-NET-1
            || a0 == 192 && a1 == 88 && a2 == 99          // 6to4 relay anycast
            || a0 == 192 && a1 == 168                     // private
            || a0 == 198 && (a1 & 0xfe) == 18             // 198.18/15 benchmarking
            || a0 == 198 && a1 == 51 && a2 == 100         // TEST-NET-2
            || a0 == 203 && a1 == 0 && a2 == 113          // TEST-NET-3
            || a0 >= 224);                                // multicast, reserved, broadcast
    }

    static boolean isGlobalV6(byte[] b) {
        if (isMappedV4(b)) {  // ::ffff:a.b.c.d is a.b.c.d
            return isGlobalV4(new byte[] {b[12], b[13], b[14], b[15]});
        }
        int w0 = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
        int w1 = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        return (w0 & 0xe000) == 0x2000                   // only 2000::/3 is global unicast
            && !(w0 == 0x2001 && w1 < 0x0200)             // 2001::/23 IETF protocol assignments (Teredo, ...)
            && !(w0 == 0x2001 && w1 == 0x0db8)            // documentation
            && w0 != 0x2002                               // 6to4: carries an IPv4 address of any kind
            && !(w0 == 0x3fff && (w1 & 0xf000) == 0);      // 3fff::/20 documentation
    }

    private static boolean isMappedV4(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }
}
