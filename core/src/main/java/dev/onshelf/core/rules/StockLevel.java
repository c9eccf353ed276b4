package dev.onshelf.core.rules;

import dev.onshelf.core.availability.ItemAvailability;

/**
 * The shelf's stock level with hysteresis, so a shelf hovering at the threshold does not flap:
 * in stock drops to limited at {@code units <= low}, but limited climbs back to in stock only at
 * {@code units >= low + 1 + max(1, ceil(low / 2))}. Empty is always exactly zero units.
 */
public final class StockLevel {
    private StockLevel() {
    }

    public static int upThreshold(int low) {
        return low == 0 ? 1 : low + 1 + Math.max(1, (low + 1) / 2);
    }

    /** The next level given the previous one (null if none yet). */
    public static ItemAvailability next(ItemAvailability previous, long units, int low) {
        if (units <= 0) {
            return ItemAvailability.OutOfStock;
        }
        if (units >= upThreshold(low)) {
            return ItemAvailability.InStock;
        }
        if (units <= low) {
            return ItemAvailability.LimitedAvailability;
        }
        // between the thresholds: stay where we were (from empty, we are now limited)
        return previous == ItemAvailability.InStock ? ItemAvailability.InStock : ItemAvailability.LimitedAvailability;
    }

    /** The level without history (for answers that rest on the books, or on part of the slots). */
    public static ItemAvailability plain(long units, int low) {
        if (units <= 0) {
            return ItemAvailability.OutOfStock;
        }
        return units <= low ? ItemAvailability.LimitedAvailability : ItemAvailability.InStock;
    }
}
