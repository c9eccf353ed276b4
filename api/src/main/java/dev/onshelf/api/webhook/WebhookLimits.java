package dev.onshelf.api.webhook;

import java.time.Duration;

/**
 * Bounds on back-in-stock webhooks, so that subscribing cannot be turned into an amplifier: live
 * subscriptions per client (API key, else address) and per callback host, how long a subscription
 * lives, how many failed deliveries drop it, and deliveries per callback host per minute.
 */
public record WebhookLimits(int perClient, int perHost, Duration ttl, int maxFailures, int deliveriesPerHostPerMinute) {
    public static final WebhookLimits DEFAULT = new WebhookLimits(20, 100, Duration.ofDays(30), 5, 60);
}
