package dev.onshelf.core.availability;

import java.util.List;

/**
 * What is stored for one (store, product): the latest reading of each shelf slot and the book.
 * {@code book} is null when no feed event was ever applied; {@code bookTs} is the source time of the
 * newest feed event applied, {@code countTs} that of the last COUNT (0 if none). {@code shelfLevel} is
 * the level of all slots together with hysteresis, as the apply rules last settled it (null if none).
 * {@code held} are the product's click-and-collect holds (stored beside it; expiry applied when counted).
 */
public record ProductState(List<Slot> slots, Long book, long bookTs, long countTs, ItemAvailability shelfLevel,
                           HeldUnits held) {
    public static final ProductState EMPTY = new ProductState(List.of(), null, 0, 0, null);

    public ProductState(List<Slot> slots, Long book, long bookTs, long countTs, ItemAvailability shelfLevel) {
        this(slots, book, bookTs, countTs, shelfLevel, HeldUnits.NONE);
    }

    public ProductState(List<Slot> slots, Long book, long bookTs, long countTs) {
        this(slots, book, bookTs, countTs, null);
    }

    public ProductState {
        slots = List.copyOf(slots);
        held = held == null ? HeldUnits.NONE : held;
    }

    /** The same state with these holds. */
    public ProductState withHeld(HeldUnits units) {
        return units.equals(held) ? this : new ProductState(slots, book, bookTs, countTs, shelfLevel, units);
    }

    public boolean isEmpty() {
        return slots.isEmpty() && book == null;
    }
}
