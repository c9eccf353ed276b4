package dev.onshelf.aggregator.redis;

import dev.onshelf.core.availability.ProductState;
import dev.onshelf.core.availability.SourceHealth;
import java.util.Map;

/**
 * One product's stored state together with the health of the devices that reported it;
 * {@code storeKnown} is false when the store is not registered at all.
 */
public record ProductView(ProductState state, Map<String, SourceHealth> health, boolean storeKnown) {
    public static final ProductView EMPTY = new ProductView(ProductState.EMPTY, Map.of());
    public static final ProductView UNKNOWN_STORE = new ProductView(ProductState.EMPTY, Map.of(), false);

    public ProductView(ProductState state, Map<String, SourceHealth> health) {
        this(state, health, true);
    }
}
