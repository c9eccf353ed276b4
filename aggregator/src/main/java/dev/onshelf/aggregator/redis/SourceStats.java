package dev.onshelf.aggregator.redis;

import dev.onshelf.core.rules.SourceLedger;

/**
 * A source's exactly-once bookkeeping, as the device list shows it: highest seq of its current
 * numbering, newest source time, seqs skipped and not seen, restarts, and what its ledger forgot to
 * stay bounded (seqs given up and events refused as {@code seq.forgotten}).
 */
public record SourceStats(long highestSeq, long newestTs, long gaps, long restarts, long forgotten) {
    public static final SourceStats NONE = new SourceStats(0, 0, 0, 0, 0);

    static SourceStats parse(String text) {
        if (text == null || text.isEmpty()) {
            return NONE;
        }
        SourceLedger l = SourceLedger.decode(text);
        return new SourceStats(l.highestSeq(), l.newestTs(), l.gaps(), l.restarts(), l.forgotten());
    }
}
