package dev.onshelf.core.ingest;

/**
 * Who made a write and how long its event id keeps it idempotent. Devices' events carry none (their
 * source's ledger makes them exactly-once); people's writes over HTTP name the person, recorded in the
 * store's audit stream, and keep their client-chosen id for {@code idempotencySeconds}.
 */
public record Attribution(String who, long idempotencySeconds) {
    public static final Attribution NONE = new Attribution("", 0);
    /** How long a person's write is recognised by its id: a day, past any handheld's retries. */
    public static final long HTTP_IDEMPOTENCY_SECONDS = 86_400;

    public static Attribution person(String who) {
        return new Attribution(who, HTTP_IDEMPOTENCY_SECONDS);
    }
}
