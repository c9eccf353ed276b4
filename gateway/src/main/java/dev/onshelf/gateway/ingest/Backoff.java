package dev.onshelf.gateway.ingest;

/** Retry delays against the store: 50 ms doubling to at most 5 s. */
final class Backoff {
    static final long MAX_MILLIS = 5_000;

    private Backoff() {
    }

    /** The delay before retry number {@code attempt} (0-based). */
    static long delayMillis(int attempt) {
        return Math.min(MAX_MILLIS, 50L << Math.min(attempt, 7));
    }
}
