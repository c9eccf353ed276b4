package dev.onshelf.simulators.load;

import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/** What a shopper load run measured: latency (µs), throughput, and how answers matched the truth. */
public record LoadResult(Histogram latencyMicros, Counts counts, long elapsedNanos) {

    public double requestsPerSecond() {
        return counts.ok.sum() / (elapsedNanos / 1e9);
    }

    public double percentileMillis(double p) {
        return latencyMicros.getValueAtPercentile(p) / 1000.0;
    }

    /** Answer counts against the ground truth. */
    public static final class Counts {
        final LongAdder ok = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder correct = new LongAdder();
        final LongAdder falseYes = new LongAdder();
        final LongAdder falseNo = new LongAdder();
        final LongAdder unknown = new LongAdder();

        void judge(Object onShelf, int truthUnits) {
            boolean there = truthUnits > 0;
            if (onShelf == null) {
                unknown.increment();
            } else if ((Boolean) onShelf == there) {
                correct.increment();
            } else if ((Boolean) onShelf) {
                falseYes.increment();
            } else {
                falseNo.increment();
            }
        }

        public long ok() {
            return ok.sum();
        }

        public long errors() {
            return errors.sum();
        }

        public long judged() {
            return correct.sum() + falseYes.sum() + falseNo.sum() + unknown.sum();
        }

        public double pct(LongAdder a) {
            long n = judged();
            return n == 0 ? 0 : 100.0 * a.sum() / n;
        }

        public double correctPct() {
            return pct(correct);
        }

        public double falseYesPct() {
            return pct(falseYes);
        }

        public double falseNoPct() {
            return pct(falseNo);
        }

        public double unknownPct() {
            return pct(unknown);
        }
    }
}
