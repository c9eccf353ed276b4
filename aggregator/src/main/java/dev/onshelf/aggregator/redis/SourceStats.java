package dev.onshelf.aggregator.redis;

/** A source's sequence bookkeeping: highest seq, newest source time, seqs missing, restarts seen. */
public record SourceStats(long highestSeq, long newestTs, long gaps, long restarts) {
    public static final SourceStats NONE = new SourceStats(0, 0, 0, 0);

    static SourceStats parse(String csv) {
        if (csv == null || csv.isEmpty()) {
            return NONE;
        }
        String[] f = csv.split(",");
        return new SourceStats(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]));
    }
}
