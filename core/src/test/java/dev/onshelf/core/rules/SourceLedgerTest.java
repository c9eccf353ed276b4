package dev.onshelf.core.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SourceLedgerTest {
    private static final int WINDOW = 64;

    @Test
    void anEventHeldBackFarBeyondTheWindowCountsOnceAndItsReplayDoesNot() {
        SourceLedger ledger = new SourceLedger();
        assertThat(ledger.admit(1, 1, WINDOW)).isEqualTo(Admission.NEW);
        for (long seq = 200; seq < 400; seq++) {
            assertThat(ledger.admit(seq, seq, WINDOW)).isEqualTo(Admission.NEW);
        }
        assertThat(ledger.gaps()).isEqualTo(198);
        assertThat(ledger.admit(150, 150, WINDOW)).isEqualTo(Admission.LATE);
        assertThat(ledger.admit(150, 150, WINDOW)).isEqualTo(Admission.DUPLICATE);
        assertThat(ledger.admit(250, 250, WINDOW)).as("never skipped, out of the window").isEqualTo(Admission.DUPLICATE);
        assertThat(ledger.admit(1, 1, WINDOW)).isEqualTo(Admission.DUPLICATE);
        assertThat(ledger.admit(2, 2, WINDOW)).isEqualTo(Admission.LATE);
        assertThat(ledger.admit(199, 199, WINDOW)).isEqualTo(Admission.LATE);
        assertThat(ledger.gaps()).isEqualTo(195);
    }

    @Test
    void aRestartForgetsWhatWasSkippedBeforeIt() {
        SourceLedger ledger = new SourceLedger();
        ledger.admit(1, 1, WINDOW);
        for (long seq = 100; seq < 200; seq++) {
            ledger.admit(seq, seq, WINDOW);
        }
        assertThat(ledger.admit(1, 1_000, WINDOW)).isEqualTo(Admission.RESTART);
        for (long seq = 2; seq < 100; seq++) {
            ledger.admit(seq, 1_000 + seq, WINDOW);
        }
        assertThat(ledger.admit(50, 50, WINDOW)).as("old numbering: the replay of a pre-restart event")
            .isEqualTo(Admission.DUPLICATE);
    }

    @Test
    void aRedeliveredEventOfTheOldNumberingDoesNotFillANewGap() {
        SourceLedger ledger = new SourceLedger();
        for (long seq = 1; seq <= 100; seq++) {
            ledger.admit(seq, seq, WINDOW);
        }
        assertThat(ledger.admit(1, 200, WINDOW)).isEqualTo(Admission.RESTART);
        for (long seq = 2; seq <= 5; seq++) {
            ledger.admit(seq, 199 + seq, WINDOW);
        }
        assertThat(ledger.admit(9, 208, WINDOW)).isEqualTo(Admission.NEW);  // 6..8 skipped
        assertThat(ledger.admit(7, 7, WINDOW)).as("seq 7 of before the restart, redelivered")
            .isEqualTo(Admission.DUPLICATE);
        assertThat(ledger.admit(7, 206, WINDOW)).as("the new seq 7, late").isEqualTo(Admission.LATE);
    }

    @Test
    void atMostSixteenRangesAreRemembered() {
        SourceLedger ledger = new SourceLedger();
        long seq = 1;
        ledger.admit(seq, seq, WINDOW);
        for (int gap = 0; gap < 20; gap++) {
            seq += 2;  // skips one each time
            for (int i = 0; i < WINDOW; i++, seq++) {
                ledger.admit(seq, seq, WINDOW);
            }
        }
        assertThat(ledger.missing).hasSize(SourceLedger.MAX_MISSING_RANGES);
        assertThat(ledger.admit(2, 2, WINDOW)).as("the oldest skipped seq is forgotten").isEqualTo(Admission.DUPLICATE);
    }
}
