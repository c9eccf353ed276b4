package dev.onshelf.core.rules;

/** What a source's sequence bookkeeping says of an incoming event. */
public enum Admission {
    /** A higher seq than any so far. */
    NEW,
    /** Below the high-water mark but never seen: a reordered event; it fills a gap. */
    LATE,
    /** The numbering went back while the source's clock moved on: the source restarted. */
    RESTART,
    /** Seen before (same seq and time), or older than everything remembered: nothing to apply. */
    DUPLICATE;

    public boolean applies() {
        return this != DUPLICATE;
    }
}
