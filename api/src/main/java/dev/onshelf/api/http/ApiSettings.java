package dev.onshelf.api.http;


import dev.onshelf.api.staff.StaffAuth;

/**
 * What the HTTP API needs to know: where to listen, the admin token, staff authentication (null
 * when not configured), public reads allowed per client per second, the request timeout, whether
 * webhooks may call private addresses, the origins the shopper site's browsers may call from, and
 * the PEM certificate chain and key to serve HTTPS with (empty: plain HTTP, e.g. behind a TLS proxy),
 * the limits against abuse, and whether public (unauthenticated) answers carry exact unit counts
 * (staff answers always do).
 */
public record ApiSettings(String host, int port, String adminToken, StaffAuth staffAuth, long ratePerSecond,
                          long requestTimeoutMillis, int maxPendingRequests, boolean webhooksToPrivateAddresses,
                          java.util.List<String> corsOrigins, String tlsCertFile, String tlsKeyFile,
                          ApiHardening hardening, boolean publicCounts) {
}
