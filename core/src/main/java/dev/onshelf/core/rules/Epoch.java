package dev.onshelf.core.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * One numbering of a source (a boot): the seqs applied, as sorted, disjoint, non-adjacent ranges
 * {a, b}, and the span of source time its events cover. Part of {@link SourceLedger}.
 */
final class Epoch {
    final String session;
    long startTs;
    long maxTs;
    /** Seqs up to this one are fog: their record was given up to stay bounded (0: none). */
    long fog;
    final List<long[]> ranges = new ArrayList<>();

    Epoch(String session, long startTs, long maxTs) {
        this.session = session;
        this.startTs = startTs;
        this.maxTs = maxTs;
    }

    long hi() {
        return ranges.isEmpty() ? 0 : ranges.get(ranges.size() - 1)[1];
    }

    /** Between two of its ranges (past its fog) and not applied: a seq the epoch still waits for. */
    boolean inHole(long seq) {
        return ranges.size() > 1 && seq > fog && seq > ranges.get(0)[1] && seq < ranges.get(ranges.size() - 1)[0]
            && !contains(seq);
    }

    boolean contains(long seq) {
        for (long[] r : ranges) {
            if (seq >= r[0] && seq <= r[1]) {
                return true;
            }
        }
        return false;
    }

    /** Records seq (not contained); NEW when beyond everything so far, else LATE. */
    Admission add(long seq) {
        Admission admission = seq > hi() ? Admission.NEW : Admission.LATE;
        int i = 0;
        while (i < ranges.size() && ranges.get(i)[1] < seq) {
            i++;
        }
        ranges.add(i, new long[] {seq, seq});
        if (i + 1 < ranges.size() && ranges.get(i + 1)[0] == seq + 1) {
            ranges.get(i)[1] = ranges.get(i + 1)[1];
            ranges.remove(i + 1);
        }
        if (i > 0 && ranges.get(i - 1)[1] == seq - 1) {
            ranges.get(i - 1)[1] = ranges.get(i)[1];
            ranges.remove(i);
        }
        return admission;
    }

    long holes() {
        long n = 0;
        for (int i = 1; i < ranges.size(); i++) {
            n += ranges.get(i)[0] - ranges.get(i - 1)[1] - 1;
        }
        return n;
    }
}
