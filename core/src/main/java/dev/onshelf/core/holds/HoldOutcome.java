package dev.onshelf.core.holds;

/**
 * What became of a request to hold units. {@code hold} is set when it was made now ({@code CREATED}) or
 * before under the same Idempotency-Key and body ({@code REPLAYED}); {@code salable} is what could be
 * held when there was not enough ({@code INSUFFICIENT}).
 */
public record HoldOutcome(Kind kind, Hold hold, long salable) {
    public enum Kind {
        CREATED,
        REPLAYED,
        /** Fewer units salable (fresh shelf units minus those held) than asked for. */
        INSUFFICIENT,
        /** No fresh shelf reading vouches for the shelf: nothing can be promised. */
        SHELF_UNKNOWN,
        STORE_UNKNOWN,
        /** The Idempotency-Key was used for another request. */
        KEY_MISMATCH,
        /** The product has {@link HoldRequest#MAX_HOLDS_PER_PRODUCT} holds running. */
        TOO_MANY,
        /** The product kept changing while the hold was judged (readings arriving): try again. */
        BUSY
    }

    public static HoldOutcome of(Kind kind) {
        return new HoldOutcome(kind, null, 0);
    }
}
