package dev.onshelf.core.availability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onshelf.core.holds.HoldRequest;
import dev.onshelf.core.model.Gtin;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What click-and-collect holds do to an answer: salable, on the shelf, level; and what may be held. */
class HoldsRulesTest {
    private static final long NOW = 1_800_000_000_000L;
    private static final long MIN = 60_000;
    private final AvailabilityRules rules = new AvailabilityRules(AvailabilityPolicy.DEFAULT);

    private static ProductState shelf(int units, long readAt, Long book, HeldUnits held) {
        return new ProductState(List.of(new Slot("mat", "A1", units, 12, readAt)), book, book == null ? 0 : NOW - MIN,
            0, null, held);
    }

    @Test
    void heldUnitsParseFormatAndCountOnlyWhileRunning() {
        HeldUnits held = HeldUnits.parse("1800000060000:2,1800000000000:3,1799999999999:5");
        assertThat(held.format()).isEqualTo("1800000060000:2,1800000000000:3,1799999999999:5");
        assertThat(held.activeAt(NOW)).as("one running; one ends at now; one ended").isEqualTo(2);
        assertThat(held.activeAt(NOW - 2)).isEqualTo(10);
        assertThat(HeldUnits.parse(null)).isSameAs(HeldUnits.NONE);
        assertThat(HeldUnits.parse("")).isSameAs(HeldUnits.NONE);
        assertThat(HeldUnits.NONE.with(5, 1).format()).isEqualTo("5:1");
        assertThatThrownBy(() -> HeldUnits.parse("12")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withoutHoldsSalableIsTheFreshShelf() {
        Availability a = rules.evaluate(shelf(5, NOW - MIN, 9L, HeldUnits.NONE), Map.of(), NOW);
        assertThat(a.salable()).isEqualTo(5L);
        assertThat(a.held()).isZero();
    }

    @Test
    void heldUnitsComeOffTheFreshShelf() {
        Availability a = rules.evaluate(shelf(5, NOW - MIN, 9L, HeldUnits.NONE.with(NOW + MIN, 3)), Map.of(), NOW);
        assertThat(a.salable()).isEqualTo(2L);
        assertThat(a.held()).isEqualTo(3);
        assertThat(a.onShelf()).isTrue();
        assertThat(a.availability()).isEqualTo(ItemAvailability.LimitedAvailability);
        assertThat(a.shelfCount()).as("the shelf itself is unchanged").isEqualTo(5);
    }

    @Test
    void everythingHeldIsNotOnTheShelfForANewShopperAndNeverBelowZero() {
        Availability a = rules.evaluate(shelf(2, NOW - MIN, 9L, HeldUnits.NONE.with(NOW + MIN, 3)), Map.of(), NOW);
        assertThat(a.salable()).isZero();
        assertThat(a.onShelf()).isFalse();
        assertThat(a.availability()).isEqualTo(ItemAvailability.OutOfStock);
        assertThat(a.confidence()).isEqualTo(Confidence.HIGH);
    }

    @Test
    void anExpiredHoldCountsForNothing() {
        Availability a = rules.evaluate(shelf(2, NOW - MIN, 9L, HeldUnits.NONE.with(NOW, 2)), Map.of(), NOW);
        assertThat(a.salable()).isEqualTo(2L);
        assertThat(a.onShelf()).isTrue();
    }

    @Test
    void onBookStockAloneHoldsComeOffTheBooksAndSalableIsUnknown() {
        ProductState stale = shelf(4, NOW - 60 * MIN, 3L, HeldUnits.NONE.with(NOW + MIN, 2));
        Availability a = rules.evaluate(stale, Map.of(), NOW);
        assertThat(a.confidence()).isEqualTo(Confidence.MEDIUM);
        assertThat(a.onShelf()).isTrue();
        assertThat(a.salable()).isNull();
        Availability all = rules.evaluate(shelf(4, NOW - 60 * MIN, 3L, HeldUnits.NONE.with(NOW + MIN, 3)), Map.of(), NOW);
        assertThat(all.onShelf()).as("everything the store has is promised").isFalse();
        assertThat(all.salable()).isZero();
    }

    @Test
    void onlyAFreshShelfReadingIsHoldable() {
        assertThat(rules.holdable(shelf(5, NOW - MIN, null, HeldUnits.NONE.with(NOW + MIN, 3)), Map.of(), NOW))
            .as("before what is held: the script takes that off").isEqualTo(5);
        assertThat(rules.holdable(shelf(5, NOW - 20 * MIN, 9L, HeldUnits.NONE), Map.of(), NOW))
            .as("books alone cannot vouch for the shelf").isNull();
        assertThat(rules.holdable(ProductState.EMPTY, Map.of(), NOW)).isNull();
        Map<String, SourceHealth> offline = Map.of("mat", new SourceHealth(false, 60, NOW - 1000, NOW - 1000));
        assertThat(rules.holdable(shelf(5, NOW - 2000, null, HeldUnits.NONE), offline, NOW)).isNull();
    }

    @Test
    void aHoldRequestIsBounded() {
        Gtin gtin = Gtin.parse("4006381333931");
        assertThat(new HoldRequest(gtin, 1, 1).fingerprint()).isEqualTo("04006381333931|1|1");
        assertThatThrownBy(() -> new HoldRequest(gtin, 0, 60)).hasMessageContaining("qty");
        assertThatThrownBy(() -> new HoldRequest(gtin, HoldRequest.MAX_QTY + 1, 60)).hasMessageContaining("qty");
        assertThatThrownBy(() -> new HoldRequest(gtin, 1, 0)).hasMessageContaining("ttlSeconds");
        assertThatThrownBy(() -> new HoldRequest(gtin, 1, HoldRequest.MAX_TTL_SECONDS + 1))
            .hasMessageContaining("ttlSeconds");
    }
}
