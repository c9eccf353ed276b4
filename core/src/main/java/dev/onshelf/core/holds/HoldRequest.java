package dev.onshelf.core.holds;

import dev.onshelf.core.model.Gtin;

/**
 * A shopper's request to hold units of a product for click-and-collect, validated. Pure.
 *
 * @param ttlSeconds how long the hold keeps the units before it ends by itself
 */
public record HoldRequest(Gtin gtin, int qty, int ttlSeconds) {
    /** Units one hold may keep: a shopper's basket, not a pallet. */
    public static final int MAX_QTY = 100;
    /** The longest a hold runs: a day (a shop's click-and-collect window). */
    public static final int MAX_TTL_SECONDS = 86_400;
    /** Holds running at once on one product of a store: bounds what is stored beside the product. */
    public static final int MAX_HOLDS_PER_PRODUCT = 200;

    public HoldRequest {
        if (qty < 1 || qty > MAX_QTY) {
            throw new IllegalArgumentException("qty must be from 1 to " + MAX_QTY);
        }
        if (ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
            throw new IllegalArgumentException("ttlSeconds must be from 1 to " + MAX_TTL_SECONDS);
        }
    }

    /**
     * What an {@code Idempotency-Key} is checked against: the same key with another fingerprint is
     * another request, refused.
     */
    public String fingerprint() {
        return gtin.value() + "|" + qty + "|" + ttlSeconds;
    }

    /** The sale a collected hold becomes: its event id is derived from the hold's, so it sells once. */
    public static String saleEventId(String holdId) {
        return "hold:" + holdId;
    }
}
