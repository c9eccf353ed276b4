package dev.onshelf.core.rules;

/** What a source's ledger says of an incoming event. */
public enum Admission {
    /** A higher seq than any so far in its epoch. */
    NEW,
    /** Below the epoch's highest seq but never applied: a late event; it fills a hole. */
    LATE,
    /** The first event of a new epoch: the source restarted (a new session, or the numbering went back). */
    RESTART,
    /** Applied before (the same event id recently, or the same seq in its epoch): nothing to apply. */
    DUPLICATE,
    /** Of an epoch the ledger no longer keeps: it cannot tell a replay from a late event, so refuses it. */
    FORGOTTEN;

    public boolean applies() {
        return this == NEW || this == LATE || this == RESTART;
    }
}
