package dev.onshelf.core.rules;

/**
 * The bounds of the apply rules (the same numbers are passed to the Lua script).
 *
 * @param recentIds      event ids (digests) remembered per source, to know a re-stamped retransmission
 * @param deltaHorizonMs how far back deltas are kept after the last COUNT, to replay a late COUNT
 * @param maxDeltas      at most this many such deltas per product
 * @param lowStockUnits  default low-stock threshold (a product may override it)
 * @param shelfFreshMs   how long a reading counts as fresh when judging phantom stock
 */
public record ApplyParams(int recentIds, long deltaHorizonMs, int maxDeltas, int lowStockUnits, long shelfFreshMs) {
    public static final ApplyParams DEFAULT = new ApplyParams(64, 10 * 60_000L, 32, 2, 15 * 60_000L);
}
