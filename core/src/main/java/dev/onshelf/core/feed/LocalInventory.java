package dev.onshelf.core.feed;

import dev.onshelf.core.availability.Availability;
import dev.onshelf.core.availability.Confidence;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.StoreId;
import java.util.Locale;
import java.util.Optional;

/**
 * Maps OnShelf's answer for one (store, product) onto a row of Google's local inventory. Pure.
 *
 * <ul>
 *   <li>{@code availability}: InStock, LimitedAvailability, OutOfStock become {@code in_stock},
 *   {@code limited_availability}, {@code out_of_stock}. An unknown answer ({@code onShelf} null: stale
 *   or no data, or a device offline or silent) is never {@code in_stock}: by default it is sent as
 *   {@code out_of_stock} without a quantity ({@link Unknown#OUT_OF_STOCK}), because Google keeps the
 *   last value it has for a product left out of a feed, which may be an {@code in_stock} that is no
 *   longer true; {@link Unknown#OMIT} leaves such rows out for an operator who prefers that.</li>
 *   <li>{@code quantity}: the count the answer rests on, less the units click-and-collect holds keep:
 *   the salable shelf units (confidence high) or the book stock minus held, never below 0 (confidence medium); none for an unknown answer, and none at all when
 *   the operator keeps exact counts out of public answers ({@code counts} false).</li>
 *   <li>{@code id}: the product's GTIN as OnShelf keeps it (14 digits).</li>
 * </ul>
 */
public final class LocalInventory {
    public static final String IN_STOCK = "in_stock";
    public static final String LIMITED = "limited_availability";
    public static final String OUT_OF_STOCK = "out_of_stock";

    /** What to do with a product whose answer is unknown. */
    public enum Unknown {
        OUT_OF_STOCK, OMIT;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Unknown parse(String value) {
            for (Unknown u : values()) {
                if (u.wire().equals(value)) {
                    return u;
                }
            }
            throw new IllegalArgumentException("unknown must be out_of_stock or omit");
        }
    }

    private LocalInventory() {
    }

    public static Optional<LocalInventoryRow> row(StoreId store, Gtin gtin, Availability a, boolean counts,
                                                  Pickup pickup, Unknown unknown) {
        boolean known = a.onShelf() != null && a.availability() != null;
        if (!known && unknown == Unknown.OMIT) {
            return Optional.empty();
        }
        String availability = !known ? OUT_OF_STOCK : switch (a.availability()) {
            case InStock -> IN_STOCK;
            case LimitedAvailability -> LIMITED;
            case OutOfStock -> OUT_OF_STOCK;
        };
        Long quantity = known && counts ? quantity(a) : null;
        return Optional.of(new LocalInventoryRow(store.value(), gtin.value(), availability, quantity,
            pickup.method(), pickup.sla()));
    }

    /**
     * The units the answer rests on, less what click-and-collect holds keep: salable shelf units (high),
     * else book stock minus held (medium); null otherwise.
     */
    static Long quantity(Availability a) {
        if (a.confidence() == Confidence.HIGH && a.shelfCount() != null) {
            return a.salable() != null ? a.salable() : (long) Math.max(0, a.shelfCount());
        }
        if (a.confidence() == Confidence.MEDIUM && a.bookCount() != null) {
            return Math.max(0, a.bookCount() - a.held());
        }
        return null;
    }
}
