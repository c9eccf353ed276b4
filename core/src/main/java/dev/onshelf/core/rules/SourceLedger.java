package dev.onshelf.core.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * Exactly-once bookkeeping for one source (device or feed). An event's identity is its
 * (seq, ts) pair; the ledger remembers the {@code window} most recent identities (by ts). An event is
 * a duplicate if its identity is remembered, or if the window is full and it is older than all of it.
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

    public Admission admit(long seq, long ts, int size) {
        long minTs = Long.MAX_VALUE;
        for (long[] e : window) {
            if (e[0] == seq && e[1] == ts) {
                return Admission.DUPLICATE;
            }
            minTs = Math.min(minTs, e[1]);
        }
        if (window.size() >= size && ts < minTs) {
            return Admission.DUPLICATE;
        }
        Admission admission;
        if (seq > hi) {
            if (hi > 0 && seq > hi + 1) {
                gaps += seq - hi - 1;
            }
            hi = seq;
            admission = Admission.NEW;
        } else if (ts > maxTs) {
            restarts++;
            hi = seq;
            admission = Admission.RESTART;
        } else {
            if (gaps > 0) {
                gaps--;
            }
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

    public long gaps() {
        return gaps;
    }

    public long restarts() {
        return restarts;
    }
}
