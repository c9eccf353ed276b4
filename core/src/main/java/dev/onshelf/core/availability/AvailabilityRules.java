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
 * Click-and-collect holds still running are then taken off ({@link #withHolds}): what a new shopper
 * can take is the fresh shelf units minus the units held ({@code salable}, never below zero), and the
 * answer is about that: nothing salable is "not on the shelf" for a new shopper.
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
        Availability a = shelfAndBooks(state, health, now);
        int held = state.held().activeAt(now);
        return held == 0 ? a : withHolds(a, held);
    }

    /**
     * The answer for a new shopper when {@code held} units are promised to holds. On a fresh shelf reading:
     * salable = fresh units - held (at least 0), on the shelf iff salable > 0, its level the plain level of
     * salable. On book stock alone (medium): the book minus what is held must stay above zero for "on the
     * shelf" (else not), and salable is unknown (the shelf is not known now). Otherwise unchanged.
     */
    Availability withHolds(Availability a, int held) {
        if (a.shelfFresh() && a.shelfCount() != null) {
            long salable = Math.max(0, (long) a.shelfCount() - held);
            return new Availability(salable > 0, level(salable), a.shelfCount(), true, a.bookCount(),
                a.confidence(), a.asOf(), a.shelfAsOf(), a.bookAsOf(), a.phantom(), held, salable);
        }
        if (Boolean.TRUE.equals(a.onShelf()) && a.bookCount() != null) {
            long left = a.bookCount() - held;
            return left > 0
                ? new Availability(true, level(left), a.shelfCount(), false, a.bookCount(), a.confidence(),
                    a.asOf(), a.shelfAsOf(), a.bookAsOf(), a.phantom(), held, null)
                : new Availability(false, ItemAvailability.OutOfStock, a.shelfCount(), false, a.bookCount(),
                    a.confidence(), a.asOf(), a.shelfAsOf(), a.bookAsOf(), a.phantom(), held, 0L);
        }
        return new Availability(a.onShelf(), a.availability(), a.shelfCount(), a.shelfFresh(), a.bookCount(),
            a.confidence(), a.asOf(), a.shelfAsOf(), a.bookAsOf(), a.phantom(), held, a.salable());
    }

    /**
     * The units a new hold may take from, before what is held: the fresh shelf units, or null when no
     * fresh reading vouches for the shelf (a hold is a promise that a unit is there to pick; the books
     * count the backroom and lag the shelf, so they cannot make it).
     */
    public Integer holdable(ProductState state, Map<String, SourceHealth> health, long now) {
        Availability a = shelfAndBooks(state, health, now);
        return a.shelfFresh() && a.shelfCount() != null ? Math.max(0, a.shelfCount()) : null;
    }

    private Availability shelfAndBooks(ProductState state, Map<String, SourceHealth> health, long now) {
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
