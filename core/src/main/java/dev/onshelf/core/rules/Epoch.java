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
    /**
     * Without a session: the id digests of its first {@value #FIRST_IDS} seqs, {@value #ID_CHARS} hex
     * digits each ('x': not applied yet; empty: none yet). A retransmission of one of them, re-stamped
     * past everything of the epoch, then shows as what it is, where it would otherwise look like the
     * next boot starting again at 1.
     */
    String ids = "";
    static final int FIRST_IDS = 64;
    static final int ID_CHARS = 8;

    Epoch(String session, long startTs, long maxTs) {
        this.session = session;
        this.startTs = startTs;
        this.maxTs = maxTs;
    }

    long hi() {
        return ranges.isEmpty() ? 0 : ranges.get(ranges.size() - 1)[1];
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

    /** Whether seq (one of the first) was applied with this id digest. */
    boolean applied(long seq, String digest) {
        return seq <= FIRST_IDS && !ids.isEmpty()
            && ids.regionMatches((int) (seq - 1) * ID_CHARS, digest, 0, ID_CHARS);
    }

    /** Remembers the id of seq, when it is one of the first of an epoch without a session. */
    void remember(long seq, String digest) {
        if (seq > FIRST_IDS || !session.isEmpty()) {
            return;
        }
        StringBuilder b = new StringBuilder(ids.isEmpty() ? "x".repeat(FIRST_IDS * ID_CHARS) : ids);
        b.replace((int) (seq - 1) * ID_CHARS, (int) seq * ID_CHARS, digest.substring(0, ID_CHARS));
        ids = b.toString();
    }

    long holes() {
        long n = 0;
        for (int i = 1; i < ranges.size(); i++) {
            n += ranges.get(i)[0] - ranges.get(i - 1)[1] - 1;
        }
        return n;
    }
}
