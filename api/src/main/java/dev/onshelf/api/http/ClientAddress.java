package dev.onshelf.api.http;

import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;

/**
 * Who a client is, for per-client caps: its IPv4 address, or its IPv6 /64 (one host's usual share of
 * addresses, so rotating within it gains nothing). Not an identity: behind a shared NAT, everyone
 * counts as one client; behind a reverse proxy, see {@link ClientIdentity}, which reads the client's
 * address from {@code X-Forwarded-For} when the proxy is trusted.
 */
public final class ClientAddress {
    private ClientAddress() {
    }

    public static String of(SocketAddress remote) {
        String address = remote == null || remote.hostAddress() == null ? "?" : remote.hostAddress();
        if (address.indexOf(':') < 0) {
            return address;
        }
        try {
            byte[] b = InetAddress.getByName(address).getAddress();  // a literal: no lookup
            return b.length == 16 ? HexFormat.of().formatHex(b, 0, 8) + "::/64" : InetAddress.getByAddress(b).getHostAddress();
        } catch (UnknownHostException e) {
            return address;
        }
    }

    /** The same for an address's bytes (4 or 16). */
    public static String of(byte[] address) {
        if (address.length == 16) {
            return HexFormat.of().formatHex(address, 0, 8) + "::/64";
        }
        return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff);
    }
}
