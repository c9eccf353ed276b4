package dev.onshelf.core.holds;

import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.StoreId;

/**
 * A click-and-collect hold: {@code qty} units of a product kept for one shopper until {@code expiresAt}
 * (epoch ms). {@code collected} once its sale went through the pipeline.
 */
public record Hold(String id, StoreId store, Gtin gtin, int qty, long expiresAt, long createdAt, boolean collected) {
    /** Whether the hold still keeps its units at {@code now}. */
    public boolean runningAt(long now) {
        return !collected && expiresAt > now;
    }

    public Hold asCollected() {
        return new Hold(id, store, gtin, qty, expiresAt, createdAt, true);
    }
}
