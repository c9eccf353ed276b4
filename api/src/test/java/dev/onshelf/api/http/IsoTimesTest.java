package dev.onshelf.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoTimesTest {
    @Test
    void writesWhatInstantToStringWrites() {
        long[] edges = {0, 1, 999, 1_000, 1_100, 86_399_999, 86_400_000, 951_782_400_000L /* 2000-02-29 */,
            4_107_542_400_000L /* 2100-03-01 */, 1_795_964_450_000L, 1_795_964_450_123L, 253_402_300_799_999L,
            253_402_300_800_000L, -1, -86_400_001L};
        for (long m : edges) {
            assertThat(IsoTimes.format(m)).as("%d", m).isEqualTo(Instant.ofEpochMilli(m).toString());
        }
        SplittableRandom random = new SplittableRandom(29);
        for (int i = 0; i < 200_000; i++) {
            long m = random.nextLong(0, 253_402_300_800_000L);
            if (i % 3 == 0) {
                m -= m % 1_000;  // whole seconds: no fraction
            }
            assertThat(IsoTimes.format(m)).isEqualTo(Instant.ofEpochMilli(m).toString());
        }
    }
}
