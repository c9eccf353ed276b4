package dev.onshelf.api.http;

import dev.onshelf.api.staff.StaffTokenPolicy;
import dev.onshelf.api.webhook.WebhookLimits;

/**
 * The API's limits against abuse, each from an {@code ONSHELF_*} variable (see README): who may read
 * {@code /metrics} ({@code metricsToken}; empty: loopback clients only), what staff tokens must look
 * like, change streams per client, connections per client address, how long a request's headers may
 * take to arrive, the webhook limits, the reverse proxies whose {@code X-Forwarded-For} is believed,
 * whether the rate limit is counted across every API process (in Redis) besides per process, and who
 * may capture EPCIS events ({@code epcisToken}, the partners' bearer token; empty: capture is not offered).
 */
public record ApiHardening(String metricsToken, StaffTokenPolicy staffTokens, int streamsPerClient,
                           int connectionsPerAddress, int headerTimeoutMillis, WebhookLimits webhooks,
                           TrustedProxies trustedProxies, boolean sharedRateLimit, String epcisToken) {
    public static final ApiHardening DEFAULT = new ApiHardening("", StaffTokenPolicy.DEFAULT, 8, 256, 10_000,
        WebhookLimits.DEFAULT, TrustedProxies.NONE, false, "");
}
