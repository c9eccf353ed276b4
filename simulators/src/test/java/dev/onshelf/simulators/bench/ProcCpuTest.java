package dev.onshelf.simulators.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ProcCpuTest {
    @Test
    void addsUserAndSystemTicksOfAStatLine() {
        // a command name with a space and a parenthesis: fields are counted from the last ')'
        String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 52000 0 12 0 1234 566 0 0 20 0 57 0 "
            + "1100 6000000000 90000 18446744073709551615 1 1 0 0 0 0 0 4096 16796879 0 0 0 17 1 0 0 0 0 0";

        assertThat(ProcCpu.seconds(stat, 100)).isCloseTo(18.0, within(1e-9));
    }

    @Test
    void readsThisVeryProcessAndNothingForAMissingOne() {
        ProcCpu proc = ProcCpu.local();

        assertThat(proc.seconds(ProcessHandle.current().pid())).isGreaterThan(0);
        assertThat(proc.seconds(-1)).isNaN();
        assertThat(proc.seconds(Integer.MAX_VALUE)).isNaN();
    }
}
