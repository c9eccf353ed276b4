package dev.onshelf.core.ingest;

/**
 * Who made a write and how long its event id keeps it idempotent. Devices' events carry none (their
 * source's ledger makes them exactly-once); writes over HTTP name who made them (a person, or an EPCIS
 * partner), recorded in the store's audit stream, and keep their id for {@code idempotencySeconds}.
 */
public record Attribution(String who, long idempotencySeconds) {
    public static final Attribution NONE = new Attribution("", 0);
    /** How long a person's write is recognised by its id: a day, past any handheld's retries. */
    public static final long HTTP_IDEMPOTENCY_SECONDS = 86_400;
    /**
     * How long an EPCIS event is recognised by its eventID: a week. An eventID names one event for
     * ever, and a partner's system may send a document again days later (after its own outage).
     */
    public static final long EPCIS_IDEMPOTENCY_SECONDS = 7 * 86_400;

    public static Attribution person(String who) {
        return new Attribution(who, HTTP_IDEMPOTENCY_SECONDS);
    }

    /** An EPCIS capture partner's write, keyed by its eventID. */
    public static Attribution partner(String who) {
        return new Attribution(who, EPCIS_IDEMPOTENCY_SECONDS);
    }
}
