package dev.onshelf.gateway.mqtt;

import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * Holds acknowledgements until the store has surely written what it applied, for a Redis that may
 * answer before it writes: under {@code appendfsync everysec} Redis 7.0 postpones writing its AOF
 * buffer for up to two seconds while a background fsync is slow, and still replies, so a SIGKILL in
 * that time loses writes it acknowledged (RELIABILITY.md; Redis 7.2's WAITAOF is the exact answer).
 *
 * <p>A message whose apply completed is acknowledged once {@code horizonMillis} have passed <b>and
 * the store is still the same server process</b> (its run id, as Redis reports it, is unchanged): a
 * restarted Redis may have lost it, so it is applied again instead (the source's ledger recognises
 * it if it had survived). While the store cannot be asked, nothing is acknowledged. Completions come
 * in arrival order per connection ({@link InOrderAcks}) and the horizon is constant, so the queue is
 * in due order. Thread-safe: completions arrive on the event loop, ticks on the watchdog.
 */
final class DurabilityHorizon {
    /** What to do with a held message when its time comes. */
    interface Held {
        /** The store kept it: acknowledge. */
        void durable();

        /** The store may have lost it: apply it again. */
        void again();
    }

    private record Entry(long due, String runId, Held held) {
    }

    private final long horizonMillis;
    private final LongSupplier clock;
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private volatile String runId;

    DurabilityHorizon(long horizonMillis, LongSupplier clock) {
        this.horizonMillis = horizonMillis;
        this.clock = clock;
    }

    /** The store's run id as last seen (null: not known, or the store cannot be asked now). */
    void storeIs(String runId) {
        this.runId = runId;
    }

    /** The store's run id as last seen, to be given back to {@link #applied} when the apply completes. */
    String store() {
        return runId;
    }

    /**
     * A message applied (durable as far as the store said): held until the horizon has passed.
     * {@code sentTo} is the store's run id as seen <b>before</b> the apply was sent: a completion can
     * be handled after the watchdog has already seen a restart, and the restarted store is not the
     * one that wrote it (the run id seen at completion would vouch for a write that may be lost).
     */
    void applied(Held held, String sentTo) {
        synchronized (this) {
            queue.addLast(new Entry(clock.getAsLong() + horizonMillis, sentTo, held));
        }
    }

    /**
     * Releases what is due, given the store's run id now (null: unknown, release nothing); returns
     * how many were applied again because the store restarted.
     */
    int tick(String runIdNow) {
        storeIs(runIdNow);
        if (runIdNow == null) {
            return 0;
        }
        long now = clock.getAsLong();
        int again = 0;
        while (true) {
            Entry e;
            synchronized (this) {
                e = queue.peekFirst();
                if (e == null || e.due() > now) {
                    return again;
                }
                queue.pollFirst();
            }
            if (runIdNow.equals(e.runId())) {
                e.held().durable();
            } else {
                e.held().again();
                again++;
            }
        }
    }

    synchronized int held() {
        return queue.size();
    }
}
