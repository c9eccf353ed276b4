package dev.onshelf.core.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * Exactly-once bookkeeping for one source (device or feed). An event's identity is its
 * (seq, ts) pair; the ledger remembers the {@code window} most recent identities (by ts). An event is
 * a duplicate if its identity is remembered, or if the window is full and it is older than all of
 * it — unless its seq is one the source skipped and its ts lies between the newest ts seen when the
 * gap appeared and the ts of the event that revealed it: the ledger keeps the ranges of skipped seqs
 * with those bounds (at most {@link #MAX_MISSING_RANGES}, the oldest forgotten first; cleared on a
 * restart; the bounds keep a redelivered event of an earlier numbering out of a new gap), so an event
 * delayed far beyond the window (held through a Redis outage, a device's offline buffer) still
 * counts once, while a replay of one already counted does not.
 * When the window overflows, the oldest identity goes (by ts, ties by the text "seq:ts", as in a
 * Redis sorted set).
 * The high-water mark {@code hi} and {@code gaps} are diagnostics: messages lost upstream.
 * Mirrored exactly by {@code apply.lua}.
 */
public final class SourceLedger {
    long hi;
    long maxTs;
    long gaps;
    long restarts;
    final List<long[]> window = new ArrayList<>();
    /** Ranges {from, to, tsLo, tsHi} of seqs skipped and not yet seen, oldest first. */
    final List<long[]> missing = new ArrayList<>();
    public static final int MAX_MISSING_RANGES = 16;

    public Admission admit(long seq, long ts, int size) {
        long minTs = Long.MAX_VALUE;
        for (long[] e : window) {
            if (e[0] == seq && e[1] == ts) {
                return Admission.DUPLICATE;
            }
            minTs = Math.min(minTs, e[1]);
        }
        if (window.size() >= size && ts < minTs && !isMissing(seq, ts)) {
            return Admission.DUPLICATE;
        }
        Admission admission;
        if (seq > hi) {
            if (hi > 0 && seq > hi + 1) {
                gaps += seq - hi - 1;
                missing.add(new long[] {hi + 1, seq - 1, maxTs, ts});
                if (missing.size() > MAX_MISSING_RANGES) {
                    missing.remove(0);
                }
            }
            hi = seq;
            admission = Admission.NEW;
        } else if (ts > maxTs) {
            restarts++;
            hi = seq;
            missing.clear();
            admission = Admission.RESTART;
        } else {
            if (gaps > 0) {
                gaps--;
            }
            seen(seq, ts);
            admission = Admission.LATE;
        }
        window.add(new long[] {seq, ts});
        while (window.size() > size) {
            int oldest = 0;
            for (int i = 1; i < window.size(); i++) {
                long[] e = window.get(i);
                long[] o = window.get(oldest);
                if (e[1] < o[1] || e[1] == o[1] && (e[0] + ":" + e[1]).compareTo(o[0] + ":" + o[1]) < 0) {
                    oldest = i;
                }
            }
            window.remove(oldest);
        }
        maxTs = Math.max(maxTs, ts);
        return admission;
    }

    private boolean isMissing(long seq, long ts) {
        for (long[] r : missing) {
            if (seq >= r[0] && seq <= r[1] && ts >= r[2] && ts <= r[3]) {
                return true;
            }
        }
        return false;
    }

    /** A skipped seq arrived: take it out of its range (splitting it; the oldest range goes past the cap). */
    private void seen(long seq, long ts) {
        for (int i = 0; i < missing.size(); i++) {
            long[] r = missing.get(i);
            if (seq < r[0] || seq > r[1] || ts < r[2] || ts > r[3]) {
                continue;
            }
            if (r[0] == r[1]) {
                missing.remove(i);
            } else if (seq == r[0]) {
                r[0]++;
            } else if (seq == r[1]) {
                r[1]--;
            } else {
                missing.set(i, new long[] {r[0], seq - 1, r[2], r[3]});
                missing.add(i + 1, new long[] {seq + 1, r[1], r[2], r[3]});
                if (missing.size() > MAX_MISSING_RANGES) {
                    missing.remove(0);
                }
            }
            return;
        }
    }

    public long gaps() {
        return gaps;
    }

    public long restarts() {
        return restarts;
    }
}
