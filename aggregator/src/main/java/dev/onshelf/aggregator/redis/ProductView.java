package dev.onshelf.aggregator.redis;

import dev.onshelf.core.availability.ProductState;
import dev.onshelf.core.availability.SourceHealth;
import java.util.Map;

/** One product's stored state together with the health of the devices that reported it. */
public record ProductView(ProductState state, Map<String, SourceHealth> health) {
    public static final ProductView EMPTY = new ProductView(ProductState.EMPTY, Map.of());
}
