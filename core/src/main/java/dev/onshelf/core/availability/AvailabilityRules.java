package dev.onshelf.core.availability;

import dev.onshelf.core.rules.StockLevel;
import java.util.Map;

/**
 * Fuses shelf truth and book stock into one honest answer. Pure: the same state, health, clock and
 * policy give the same answer, so it is evaluated at read time (freshness is a matter of "now").
 *
 * <ol>
 *   <li>A fresh shelf reading (young enough, from a device neither offline nor silent) wins:
 *       confidence high, on the shelf iff the fresh slots add up to more than zero.</li>
 *   <li>Otherwise recent book stock answers with confidence medium: none in the books means not on
 *       the shelf; stock in the books means on the shelf, unless the last shelf reading (stale) said
 *       empty, in which case we do not know (the books count the backroom too).</li>
 *   <li>Otherwise only old information: confidence low, on the shelf unknown.</li>
 * </ol>
 */
public final class AvailabilityRules {
    private final AvailabilityPolicy policy;

    public AvailabilityRules(AvailabilityPolicy policy) {
        this.policy = policy;
    }

    public AvailabilityPolicy policy() {
        return policy;
    }

    public Availability evaluate(ProductState state, Map<String, SourceHealth> health, long now) {
        if (state.isEmpty()) {
            return Availability.NOTHING;
        }
        long freshFor = policy.shelfFreshFor().toMillis();
        int freshUnits = 0;
        int allUnits = 0;
        long freshAsOf = 0;
        long anyAsOf = 0;
        boolean anyFresh = false;
        for (Slot slot : state.slots()) {
            SourceHealth h = health.getOrDefault(slot.device(), SourceHealth.UNKNOWN);
            boolean fresh = now - slot.ts() <= freshFor && !h.stale(now, policy.missedHeartbeats())
                && !(h.statusTs() > slot.ts() && !h.online());
            allUnits += slot.count();
            anyAsOf = Math.max(anyAsOf, slot.ts());
            if (fresh) {
                anyFresh = true;
                freshUnits += slot.count();
                freshAsOf = Math.max(freshAsOf, slot.ts());
            }
        }
        Long book = state.book();
        long bookAsOf = book == null ? 0 : state.bookTs();
        boolean hasSlots = !state.slots().isEmpty();
        if (anyFresh) {
            boolean phantom = freshUnits == 0 && book != null && book > 0;
            // every slot fresh: the settled level carries the hysteresis; else judge the fresh part alone
            ItemAvailability shelfLevel = freshUnits == allUnits && state.shelfLevel() != null && freshUnits > 0
                ? state.shelfLevel() : level(freshUnits);
            return new Availability(freshUnits > 0, shelfLevel, freshUnits, true, book,
                Confidence.HIGH, freshAsOf, freshAsOf, bookAsOf, phantom);
        }
        Integer lastShelf = hasSlots ? allUnits : null;
        if (book != null && now - bookAsOf <= policy.bookFreshFor().toMillis()) {
            if (book <= 0) {
                return new Availability(false, ItemAvailability.OutOfStock, lastShelf, false, book,
                    Confidence.MEDIUM, bookAsOf, anyAsOf, bookAsOf, false);
            }
            if (hasSlots && allUnits == 0) {  // books count the backroom too: they cannot vouch for the shelf
                return new Availability(null, null, lastShelf, false, book, Confidence.LOW,
                    anyAsOf, anyAsOf, bookAsOf, false);
            }
            return new Availability(true, level(book), lastShelf, false, book, Confidence.MEDIUM,
                bookAsOf, anyAsOf, bookAsOf, false);
        }
        return new Availability(null, null, lastShelf, false, book, Confidence.LOW,
            Math.max(anyAsOf, bookAsOf), anyAsOf, bookAsOf, false);
    }

    private ItemAvailability level(long units) {
        return StockLevel.plain(units, policy.lowStockUnits());
    }
}
