package dev.onshelf.core.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The source ledger's rules, one finding each (issue: exactly-once that no fault, delay or clock can break). */
class SourceLedgerTest {
    private static final int IDS = 64;
    private static final long T = 1_800_000_000_000L;

    private static Admission admit(SourceLedger l, long seq, long ts) {
        return l.admit("e" + seq + "@" + ts, "", seq, ts, IDS);
    }

    @Test
    void eventsStampedInTheSameSecondCountOnceEachAndTheirRedeliveriesNever() {
        SourceLedger ledger = new SourceLedger();
        for (long seq = 1; seq <= 100; seq++) {
            assertThat(ledger.admit("id-" + seq, "", seq, T, IDS)).isEqualTo(Admission.NEW);
        }
        for (long seq = 1; seq <= 100; seq++) {
            assertThat(ledger.admit("id-" + seq, "", seq, T, IDS)).as("redelivery of %d", seq)
                .isEqualTo(Admission.DUPLICATE);
        }
        assertThat(ledger.restarts()).isZero();
    }

    @Test
    void anEventHeldBackBehindTenThousandCountsOnceAndItsReplayDoesNot() {
        SourceLedger ledger = new SourceLedger();
        admit(ledger, 1, T + 1);
        for (long seq = 3; seq <= 10_002; seq++) {
            assertThat(admit(ledger, seq, T + seq)).isEqualTo(Admission.NEW);
        }
        assertThat(ledger.gaps()).isEqualTo(1);
        assertThat(admit(ledger, 2, T + 2)).isEqualTo(Admission.LATE);
        assertThat(admit(ledger, 2, T + 2)).isEqualTo(Admission.DUPLICATE);
        assertThat(admit(ledger, 5_000, T + 5_000)).as("applied long ago, replayed").isEqualTo(Admission.DUPLICATE);
        assertThat(ledger.gaps()).isZero();
        assertThat(ledger.encode()).as("one range for a source whose events all came").contains(",1-10002");
    }

    @Test
    void aRetransmissionReStampedLaterIsTheSameEvent() {
        SourceLedger ledger = new SourceLedger();
        for (long seq = 1; seq <= 10; seq++) {
            ledger.admit("sale-" + seq, "", seq, T + seq, IDS);
        }
        assertThat(ledger.admit("sale-7", "", 7, T + 7 + 5, IDS)).isEqualTo(Admission.DUPLICATE);
        assertThat(ledger.admit("sale-10", "", 10, T + 10 + 5, IDS)).isEqualTo(Admission.DUPLICATE);
        assertThat(ledger.restarts()).isZero();
    }

    /**
     * Found by ExactlyOnceProperties (seed -5926496550309564387): a whole-second till's sale 3 was
     * held back and came re-stamped (+5 ms, newer than everything of the numbering) before the
     * original. Taken for a restart, it opened a second numbering that later swallowed re-stamped
     * retransmissions of sales of the first one, whose ids had aged out: sale 8 counted twice. A seq
     * in a hole is the late event the hole waits for, whatever its stamp.
     */
    @Test
    void aHeldBackEventReStampedPastItsNumberingFillsItsHoleAndStartsNoNumbering() {
        SourceLedger ledger = new SourceLedger();
        for (long seq = 1; seq <= 12; seq++) {
            if (seq != 3) {
                assertThat(ledger.admit("sale-" + seq, "", seq, T, IDS)).isEqualTo(Admission.NEW);
            }
        }
        assertThat(ledger.admit("sale-3", "", 3, T + 5, IDS)).isEqualTo(Admission.LATE);
        assertThat(ledger.restarts()).isZero();
        for (long seq = 13; seq <= 100; seq++) {  // enough that sale 8's id is no longer remembered
            ledger.admit("sale-" + seq, "", seq, T + 1_000, IDS);
        }
        assertThat(ledger.admit("sale-8", "", 8, T + 5, IDS)).as("sale 8 re-stamped, its id aged out")
            .isEqualTo(Admission.DUPLICATE);
        assertThat(ledger.admit("sale-3", "", 3, T, IDS)).as("the original of sale 3").isEqualTo(Admission.DUPLICATE);
    }

    @Test
    void aRetransmissionReStampedPastTheSecondOfAWholeSecondClockIsNeverCountedAgain() {
        SourceLedger ledger = new SourceLedger();
        for (long seq = 1; seq <= 200; seq++) {  // a till with a clock of whole seconds, selling fast
            ledger.admit("sale-" + seq, "", seq, T, IDS);
        }
        assertThat(ledger.admit("sale-190", "", 190, T + 5, IDS)).as("its id still remembered")
            .isEqualTo(Admission.DUPLICATE);
        assertThat(ledger.admit("sale-100", "", 100, T + 5, IDS)).as("its id forgotten: refused, not recounted")
            .isEqualTo(Admission.FORGOTTEN);
        assertThat(ledger.admit("boot2-1", "", 1, T + 1_000, IDS)).as("a reboot starts again at 1")
            .isEqualTo(Admission.RESTART);
    }

    @Test
    void aRestartWithoutSessionIsToldByTimeAndEachNumberingKeepsItsOwnRecord() {
        SourceLedger ledger = new SourceLedger();
        for (long seq = 1; seq <= 100; seq++) {
            if (seq != 50) {
                admit(ledger, seq, T + seq);
            }
        }
        assertThat(admit(ledger, 1, T + 1_000)).isEqualTo(Admission.RESTART);
        assertThat(admit(ledger, 3, T + 1_003)).isEqualTo(Admission.NEW);
        assertThat(admit(ledger, 2, T + 1_002)).as("the new numbering's late 2").isEqualTo(Admission.LATE);
        assertThat(admit(ledger, 60, T + 60)).as("the old numbering's 60, redelivered").isEqualTo(Admission.DUPLICATE);
        assertThat(admit(ledger, 50, T + 50)).as("the old numbering's 50, late").isEqualTo(Admission.LATE);
        assertThat(admit(ledger, 50, T + 50)).isEqualTo(Admission.DUPLICATE);
        assertThat(admit(ledger, 3, T + 1_003)).isEqualTo(Admission.DUPLICATE);
        assertThat(ledger.restarts()).isEqualTo(1);
    }

    @Test
    void theNewNumberingsSecondEventArrivingFirstDoesNotLoseTheFirst() {
        SourceLedger ledger = new SourceLedger();
        for (long seq = 1; seq <= 10; seq++) {
            admit(ledger, seq, T + seq);
        }
        assertThat(admit(ledger, 2, T + 1_002)).isEqualTo(Admission.RESTART);
        assertThat(admit(ledger, 1, T + 1_001)).isEqualTo(Admission.LATE);
        assertThat(admit(ledger, 1, T + 1)).as("the old 1").isEqualTo(Admission.DUPLICATE);
    }

    @Test
    void aSessionTellsARestartFromAReplayWhateverTheClocks() {
        SourceLedger ledger = new SourceLedger();
        for (long seq = 1; seq <= 10; seq++) {
            ledger.admit("a" + seq, "boot-1", seq, T, IDS);
        }
        assertThat(ledger.admit("b1", "boot-2", 1, T, IDS)).as("a restart in the same second").isEqualTo(Admission.RESTART);
        assertThat(ledger.admit("b2", "boot-2", 2, T, IDS)).isEqualTo(Admission.NEW);
        assertThat(ledger.admit("a5", "boot-1", 5, T + 9_000, IDS)).as("the old 5, re-stamped")
            .isEqualTo(Admission.DUPLICATE);
        assertThat(ledger.admit("a11", "boot-1", 11, T, IDS)).as("the old session's last, late").isEqualTo(Admission.NEW);
        assertThat(ledger.restarts()).isEqualTo(1);
    }

    @Test
    void holesBeyondTheBoundAreGivenUpVisiblyAndTheirLateEventsRefusedNotDropped() {
        SourceLedger ledger = new SourceLedger();
        long seq = 1;
        for (int hole = 0; hole <= SourceLedger.MAX_RANGES; hole++, seq += 2) {
            admit(ledger, seq, T + seq);
            assertThat(ledger.boundReached()).isEqualTo(hole == SourceLedger.MAX_RANGES);
        }
        assertThat(ledger.forgotten()).isEqualTo(1);
        assertThat(ledger.gaps()).isEqualTo(SourceLedger.MAX_RANGES - 1);
        assertThat(admit(ledger, 2, T + 2)).as("the given-up hole's event: refused, visibly")
            .isEqualTo(Admission.FORGOTTEN);
        assertThat(admit(ledger, 1, T + 1)).as("below the fog nothing is known").isEqualTo(Admission.FORGOTTEN);
        assertThat(admit(ledger, 4, T + 4)).as("a hole still kept").isEqualTo(Admission.LATE);
        assertThat(ledger.forgotten()).isEqualTo(3);
    }

    @Test
    void aSessionGivenUpIsRefusedNotRecountedWhenItsEventsComeBack() {
        SourceLedger ledger = new SourceLedger();
        // a device without a real-time clock: every boot's clock starts near the same value
        ledger.admit("A-1", "A", 1, T + 10, IDS);
        for (int boot = 0; boot < SourceLedger.MAX_EPOCHS; boot++) {
            ledger.admit("boot" + boot, "B" + boot, 1, T + 20 + boot, IDS);
        }
        for (long seq = 2; seq <= 70; seq++) {  // A-1 leaves the remembered ids
            ledger.admit("B7-" + seq, "B7", seq, T + 30 + seq, IDS);
        }
        assertThat(ledger.admit("A-2", "A", 2, T + 5_000, IDS)).isEqualTo(Admission.FORGOTTEN);
        assertThat(ledger.admit("A-1", "A", 1, T + 10, IDS)).isEqualTo(Admission.FORGOTTEN);
    }

    @Test
    void eventIdsWhoseShortDigestsCollideAreStillTwoEvents() {
        SourceLedger ledger = new SourceLedger();
        assertThat(ledger.admit("sale-97828", "", 1, T, IDS)).isEqualTo(Admission.NEW);  // same first 32 bits of SHA-1
        assertThat(ledger.admit("sale-108452", "", 2, T + 1, IDS)).isEqualTo(Admission.NEW);
    }

    @Test
    void aDuplicateChangesNothingInTheLedger() {
        SourceLedger ledger = new SourceLedger();
        for (long seq = 1; seq <= 10; seq++) {
            admit(ledger, seq, T + 100 + seq);
        }
        for (long seq = 1; seq <= 5; seq++) {
            admit(ledger, seq, T + 300 + seq);
        }
        String before = ledger.encode();
        assertThat(ledger.admit("b2", "", 2, T + 201, IDS)).isEqualTo(Admission.DUPLICATE);
        assertThat(ledger.encode()).isEqualTo(before);
    }

    @Test
    void anEventOfAnEpochNoLongerKeptIsRefusedNotGuessed() {
        SourceLedger ledger = new SourceLedger();
        for (int boot = 0; boot <= SourceLedger.MAX_EPOCHS; boot++) {
            for (long seq = 1; seq <= 3; seq++) {
                ledger.admit("b" + boot + "-" + seq, "boot-" + boot, seq, T + boot * 1_000 + seq, IDS);
            }
        }
        assertThat(ledger.epochs).as("the oldest epoch went").hasSize(SourceLedger.MAX_EPOCHS);
        assertThat(ledger.admit("b0-late", "boot-0", 4, T + 3, IDS)).isEqualTo(Admission.FORGOTTEN);
        assertThat(ledger.admit("x", "", 2, T + 2, IDS)).isEqualTo(Admission.FORGOTTEN);
        assertThat(ledger.forgotten()).isEqualTo(2);
        assertThat(ledger.admit("b1-4", "boot-1", 4, T + 1_004, IDS)).isEqualTo(Admission.NEW);
    }

    @Test
    void staffEventsAreNumberedByTheStore() {
        SourceLedger ledger = new SourceLedger();
        assertThat(ledger.admit("count-a", "", 0, T, IDS)).isEqualTo(Admission.NEW);
        assertThat(ledger.admit("count-b", "", 0, T, IDS)).as("same millisecond").isEqualTo(Admission.NEW);
        assertThat(ledger.admit("count-a", "", 0, T + 5, IDS)).as("a retried request").isEqualTo(Admission.DUPLICATE);
        assertThat(ledger.highestSeq()).isEqualTo(2);
    }

    @Test
    void theStoredTextReadsBackToTheSameLedger() {
        SourceLedger ledger = new SourceLedger();
        admit(ledger, 1, T);
        admit(ledger, 4, T + 4);
        ledger.admit("s", "boot-9", 1, T + 10, IDS);
        SourceLedger back = SourceLedger.decode(ledger.encode(), ledger.encodeIds());
        assertThat(back.encode()).isEqualTo(ledger.encode()).startsWith("3|").doesNotContain("#");
        assertThat(back.encodeIds()).isEqualTo(ledger.encodeIds())
            .as("the sessionless epoch's ids, then the session's epoch, which keeps none").endsWith(";");
        assertThat(back.gaps()).isEqualTo(2);
        assertThat(back.restarts()).isEqualTo(1);
        assertThat(admit(back, 4, T + 4)).isEqualTo(Admission.DUPLICATE);
    }

    @Test
    void aLedgerWithNoIdsKeptStoresNoIds() {
        SourceLedger ledger = new SourceLedger();
        ledger.admit("s", "boot-1", 1, T, IDS);
        assertThat(ledger.encodeIds()).isEmpty();
    }

    @Test
    void aTextOfBeforeWithItsIdsInlineKeepsThem() {
        // given a ledger stored before the ids had a field of their own: "2|", ",#ids" after an epoch's fog
        SourceLedger now = new SourceLedger();
        for (long seq = 1; seq <= 200; seq++) {
            now.admit("sale-" + seq, "", seq, T, IDS);
        }
        String before = now.encode().replaceFirst("^3\\|", "2|").replaceFirst(",1-200$", ",#" + now.encodeIds() + ",1-200");
        assertThat(before).startsWith("2|").contains(",#");
        // when it is read
        SourceLedger back = SourceLedger.decode(before);
        // then it is today's ledger, ids and all: a re-stamped retransmission of sale 2 is still that sale
        assertThat(back.encode()).isEqualTo(now.encode());
        assertThat(back.encodeIds()).isEqualTo(now.encodeIds());
        assertThat(back.admit("sale-2", "", 2, T + 5, IDS)).isEqualTo(Admission.DUPLICATE);
    }

    @Test
    void aLedgerOfTheFormerFormatKeepsItsSeqsAsApplied() {
        SourceLedger old = SourceLedger.decode("120," + (T + 120) + ",3,2,5-7-1-2");
        assertThat(old.highestSeq()).isEqualTo(120);
        assertThat(old.restarts()).isEqualTo(2);
        assertThat(admit(old, 100, T + 100)).isEqualTo(Admission.DUPLICATE);
        assertThat(admit(old, 121, T + 121)).isEqualTo(Admission.NEW);
    }

    @Test
    void aReStampedRetransmissionOfOneOfTheFirstSeqsIsTheSameEventHoweverLateItComes() {
        // given a till with a whole-second clock, 200 sales in one second
        SourceLedger ledger = new SourceLedger();
        for (long seq = 1; seq <= 200; seq++) {
            ledger.admit("sale-" + seq, "", seq, T, IDS);
        }
        // when sale 2 comes again re-stamped, long after its id left the recent ones
        // then it is that sale (its id is kept for the first seqs), not a reboot starting a new numbering
        assertThat(ledger.admit("sale-2", "", 2, T + 5, IDS)).isEqualTo(Admission.DUPLICATE);
        assertThat(ledger.restarts()).isZero();
        // and the originals of that second that come later still find their record
        assertThat(ledger.admit("sale-120", "", 120, T, IDS)).isEqualTo(Admission.DUPLICATE);
        // while a real reboot, a new id at seq 1, still starts a numbering
        assertThat(ledger.admit("boot2-sale-1", "", 1, T + 1_000, IDS)).isEqualTo(Admission.RESTART);
    }

    @Test
    void aLateFirstSaleReStampedFillsItsNumberingAndTheRetriesOfItsSecondCountNever() {
        // given a whole-second till whose sale 1 was lost on the way: 2..100 applied, all stamped T
        SourceLedger ledger = new SourceLedger();
        for (long seq = 2; seq <= 100; seq++) {
            ledger.admit("sale-" + seq, "", seq, T, IDS);
        }
        // when sale 1 comes again re-stamped (+5 ms): never applied, so it is the late one, not a reboot
        assertThat(ledger.admit("sale-1", "", 1, T + 5, IDS)).isEqualTo(Admission.LATE);
        assertThat(ledger.restarts()).isZero();
        // then the re-stamped retries of that second, even those whose ids have aged out, are not counted
        // again (a numbering started at T + 5 would have taken each as new)
        for (long seq = 2; seq <= 40; seq++) {
            assertThat(ledger.admit("sale-" + seq, "", seq, T + 5, IDS)).as("retry of %d", seq)
                .isNotIn(Admission.NEW, Admission.LATE, Admission.RESTART);
        }
    }

    /**
     * Found by the two-gateway torture on Mosquitto 2.0.20 (2026-11-29: lost 6 of 50,000): with a shared
     * subscription a gateway killed holds every other event of a till until it is back, tens of seconds
     * later. A millisecond till without session sold 100, the last five and a re-stamped retry of sale 92
     * waiting in the dead gateway, and rebooted; its new numbering went on through the other gateway. The
     * retry (applied as sale 92 of the first numbering, newer than everything of it, its id aged out)
     * was taken for the second numbering's 92 and stamped that numbering as starting before its reboot,
     * so the first numbering's late 97-100 went into the second too; the second's own 92 and 97-100 were
     * then refused. An event older than a numbering's first event is not of that numbering.
     */
    @Test
    void aLateRetryOfTheOldNumberingIsNotTakenIntoTheNextOneNorDragsTheOldNumberingsLateSalesIntoIt() {
        // given a millisecond till's first numbering, sales 1-95 applied (96-100 held back), sale 92's
        // re-stamped retry held back too
        SourceLedger ledger = new SourceLedger();
        for (long seq = 1; seq <= 95; seq++) {
            assertThat(ledger.admit("b0-" + seq, "", seq, T + seq, IDS)).isIn(Admission.NEW, Admission.RESTART);
        }
        // and its reboot: the second numbering's 1-70 applied (the first numbering's ids age out)
        for (long seq = 1; seq <= 70; seq++) {
            assertThat(ledger.admit("b1-" + seq, "", seq, T + 200 + seq, IDS)).as("second numbering's %d", seq)
                .isIn(Admission.NEW, Admission.RESTART);
        }
        // when the held-back ones come: the retry of 92 (stamped between the numberings), then 96-100
        assertThat(ledger.admit("b0-92", "", 92, T + 97, IDS)).as("the retry of the first numbering's 92")
            .isNotIn(Admission.NEW, Admission.LATE, Admission.RESTART);
        for (long seq = 96; seq <= 100; seq++) {
            assertThat(ledger.admit("b0-" + seq, "", seq, T + seq, IDS)).as("the first numbering's late %d", seq)
                .isIn(Admission.NEW, Admission.LATE);
        }
        // then the second numbering's own 71-100 all count, 92 and 97-100 included
        for (long seq = 71; seq <= 100; seq++) {
            assertThat(ledger.admit("b1-" + seq, "", seq, T + 200 + seq, IDS)).as("second numbering's %d", seq)
                .isEqualTo(Admission.NEW);
        }
        assertThat(ledger.restarts()).isEqualTo(1);
        assertThat(ledger.encode()).as("each numbering whole").contains(",1-100;").endsWith(",1-100");
    }
}
