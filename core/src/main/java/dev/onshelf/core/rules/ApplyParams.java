package dev.onshelf.core.rules;

/**
 * The bounds of the apply rules (the same numbers are passed to the Lua script).
 *
 * @param recentIds      event ids (digests) remembered per source, to know a re-stamped retransmission
 * @param deltaHorizonMs how far back deltas are kept after the last COUNT, to replay a late COUNT
 * @param maxDeltas      at most this many such deltas per product
 * @param lowStockUnits  default low-stock threshold (a product may override it)
 * @param shelfFreshMs   how long a reading counts as fresh when judging phantom stock
 * @param changeFeedMax  entries a store's change feed keeps (about: trimmed with {@code MAXLEN ~}), one per
 *                       product per applied batch: how far back an SSE client can resume
 */
public record ApplyParams(int recentIds, long deltaHorizonMs, int maxDeltas, int lowStockUnits, long shelfFreshMs,
                          int changeFeedMax) {
    /** A store's change feed keeps about this many entries unless configured otherwise. */
    public static final int CHANGE_FEED_MAX = 1_000;
    public static final ApplyParams DEFAULT = new ApplyParams(64, 10 * 60_000L, 32, 2, 15 * 60_000L, CHANGE_FEED_MAX);

    /** The same bounds with another change-feed cap. */
    public ApplyParams withChangeFeedMax(int entries) {
        return new ApplyParams(recentIds, deltaHorizonMs, maxDeltas, lowStockUnits, shelfFreshMs, entries);
    }
}
