package dev.onshelf.api.http;


import dev.onshelf.api.staff.StaffAuth;

/**
 * What the HTTP API needs to know: where to listen, the admin token, staff authentication (null
 * when not configured), public reads allowed per client per second, and the request timeout.
 */
public record ApiSettings(String host, int port, String adminToken, StaffAuth staffAuth, long ratePerSecond,
                          long requestTimeoutMillis, boolean webhooksToPrivateAddresses) {
}
