package dev.onshelf.core.availability;

import java.util.List;

/**
 * What is stored for one (store, product): the latest reading of each shelf slot and the book.
 * {@code book} is null when no feed event was ever applied; {@code bookTs} is the source time of the
 * newest feed event applied, {@code countTs} that of the last COUNT (0 if none).
 */
public record ProductState(List<Slot> slots, Long book, long bookTs, long countTs) {
    public static final ProductState EMPTY = new ProductState(List.of(), null, 0, 0);

    public ProductState {
        slots = List.copyOf(slots);
    }

    public boolean isEmpty() {
        return slots.isEmpty() && book == null;
    }
}
