package dev.onshelf.core.availability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AvailabilityRulesTest {
    private static final long NOW = 1_800_000_000_000L;
    private static final long MIN = 60_000;
    private final AvailabilityRules rules = new AvailabilityRules(AvailabilityPolicy.DEFAULT);

    private static ProductState shelf(Long book, long bookTs, Slot... slots) {
        return new ProductState(List.of(slots), book, bookTs, 0);
    }

    private static Slot slot(String device, int count, long ts) {
        return new Slot(device, "", count, 12, ts);
    }

    @Test
    void nothingKnownIsUnknownWithConfidenceNone() {
        Availability a = rules.evaluate(ProductState.EMPTY, Map.of(), NOW);
        assertThat(a.onShelf()).isNull();
        assertThat(a.confidence()).isEqualTo(Confidence.NONE);
        assertThat(a.availability()).isNull();
    }

    @Test
    void aFreshReadingWinsWithHighConfidence() {
        Availability a = rules.evaluate(shelf(11L, NOW - MIN, slot("mat", 4, NOW - MIN)), Map.of(), NOW);
        assertThat(a.onShelf()).isTrue();
        assertThat(a.availability()).isEqualTo(ItemAvailability.InStock);
        assertThat(a.shelfCount()).isEqualTo(4);
        assertThat(a.bookCount()).isEqualTo(11);
        assertThat(a.confidence()).isEqualTo(Confidence.HIGH);
        assertThat(a.asOf()).isEqualTo(NOW - MIN);
    }

    @Test
    void slotsAddUpAndFewUnitsAreLimited() {
        Availability a = rules.evaluate(shelf(null, 0, slot("a", 1, NOW), new Slot("b", "x", 1, 6, NOW)), Map.of(), NOW);
        assertThat(a.shelfCount()).isEqualTo(2);
        assertThat(a.availability()).isEqualTo(ItemAvailability.LimitedAvailability);
    }

    @Test
    void anEmptyShelfWithStockInTheBooksIsPhantomStockAndNotOnTheShelf() {
        Availability a = rules.evaluate(shelf(11L, NOW - MIN, slot("mat", 0, NOW)), Map.of(), NOW);
        assertThat(a.onShelf()).isFalse();
        assertThat(a.availability()).isEqualTo(ItemAvailability.OutOfStock);
        assertThat(a.phantom()).isTrue();
    }

    @Test
    void anOldReadingFallsBackToTheBooksWithMediumConfidence() {
        Availability a = rules.evaluate(shelf(11L, NOW - MIN, slot("mat", 4, NOW - 16 * MIN)), Map.of(), NOW);
        assertThat(a.onShelf()).isTrue();
        assertThat(a.confidence()).isEqualTo(Confidence.MEDIUM);
        assertThat(a.shelfFresh()).isFalse();
        assertThat(a.asOf()).isEqualTo(NOW - MIN);
    }

    @Test
    void emptyBooksMeanNotOnTheShelf() {
        Availability a = rules.evaluate(shelf(0L, NOW - MIN, slot("mat", 4, NOW - 60 * MIN)), Map.of(), NOW);
        assertThat(a.onShelf()).isFalse();
        assertThat(a.confidence()).isEqualTo(Confidence.MEDIUM);
    }

    @Test
    void aStaleEmptyReadingNewerThanTheBooksMakesTheAnswerUnknownNotYes() {
        Availability a = rules.evaluate(shelf(11L, NOW - 60 * MIN, slot("mat", 0, NOW - 20 * MIN)), Map.of(), NOW);
        assertThat(a.onShelf()).isNull();
        assertThat(a.confidence()).isEqualTo(Confidence.LOW);
    }

    @Test
    void aStaleEmptyReadingMakesTheAnswerUnknownEvenWhenTheBooksAreNewer() {
        // a stock count (books) after the shelf was last seen empty says nothing about the shelf
        Availability a = rules.evaluate(shelf(11L, NOW - MIN, slot("mat", 0, NOW - 20 * MIN)), Map.of(), NOW);
        assertThat(a.onShelf()).isNull();
        assertThat(a.confidence()).isEqualTo(Confidence.LOW);
    }

    @Test
    void aDeviceThatSaysItIsOfflineMakesItsReadingsStaleAtOnce() {
        Map<String, SourceHealth> offline = Map.of("mat", new SourceHealth(false, 60, NOW - 1000, NOW - 1000));
        Availability a = rules.evaluate(shelf(null, 0, slot("mat", 4, NOW - MIN)), offline, NOW);
        assertThat(a.onShelf()).isNull();
        assertThat(a.confidence()).isEqualTo(Confidence.LOW);
        assertThat(a.shelfCount()).isEqualTo(4);
    }

    @Test
    void aDeviceThatMissedThreeHeartbeatsIsStale() {
        Map<String, SourceHealth> silent = Map.of("mat", new SourceHealth(true, 60, NOW - 10 * MIN, NOW - 3 * MIN - 1));
        assertThat(rules.evaluate(shelf(null, 0, slot("mat", 4, NOW - 4 * MIN)), silent, NOW).confidence())
            .isEqualTo(Confidence.LOW);
        Map<String, SourceHealth> alive = Map.of("mat", new SourceHealth(true, 60, NOW - 10 * MIN, NOW - 2 * MIN));
        assertThat(rules.evaluate(shelf(null, 0, slot("mat", 4, NOW - 4 * MIN)), alive, NOW).confidence())
            .isEqualTo(Confidence.HIGH);
    }

    @Test
    void veryOldBooksAloneAreLowConfidence() {
        AvailabilityRules strict = new AvailabilityRules(new AvailabilityPolicy(Duration.ofMinutes(15),
            Duration.ofHours(1), 2, 3));
        Availability a = strict.evaluate(shelf(5L, NOW - 2 * 60 * MIN), Map.of(), NOW);
        assertThat(a.onShelf()).isNull();
        assertThat(a.confidence()).isEqualTo(Confidence.LOW);
        assertThat(a.bookCount()).isEqualTo(5);
    }
}
